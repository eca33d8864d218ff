import io.sabot.store.*;
import java.nio.file.Path;
import java.util.*;

/** Seeds a week of enricher history (lag builds during two busy evenings, a restart storm on day 3) into a home's store. */
public class SeedWeekOfHistory {
    public static void main(String[] a) {
        Path home = Path.of(a[0]);
        long now = System.currentTimeMillis();
        long start = now - 7 * 86_400_000L;
        Random r = new Random(7);
        try (Store s = Store.open(home)) {
            List<UsageSample> rows = new ArrayList<>();
            for (long t = start; t < now - 600_000L; t += 60_000L) {
                double day = ((t / 3_600_000L) % 24);
                double busy = Math.max(0, Math.sin((day - 14) / 24.0 * 2 * Math.PI)) ;
                long d = (t - start) / 86_400_000L;
                double rate = 400 + 900 * busy + r.nextGaussian() * 30;
                long lag = (long) Math.max(0, (busy > 0.8 && (d == 2 || d == 5) ? 60_000 * (busy - 0.8) * 5 : 0) + 40 + r.nextGaussian() * 15);
                long restarts = (d == 3 && day >= 9 && day < 10 && r.nextInt(4) == 0) ? 1 : 0;
                for (String subj : List.of("agent:enricher", "group:enricher")) {
                    rows.add(new UsageSample(subj, t, 60, 18 + 40 * busy + r.nextGaussian() * 2, (long) ((140 + 20 * busy) * 1024 * 1024), rate, lag, lag / 100.0, restarts));
                }
                if (rows.size() > 4000) { s.usage().insert(rows); rows.clear(); }
            }
            s.usage().insert(rows);
            System.out.println("seeded " + s.usage().count() + " rows");
        }
    }
}
