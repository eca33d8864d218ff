package io.sabot.stream;

/**
 * Fixed reference tables of the demo stream: merchants (with a category and MCC code) and
 * countries (with a weight for card home countries and a risk score). Pure data, deterministic.
 */
public final class Catalog {
    private Catalog() {}

    private static final String[] MERCHANTS = {
        "Corner Grocery", "FreshMart", "City Transit", "Blue Bottle Cafe", "QuickFuel", "MegaStore",
        "Pixel Games", "Book Nook", "Sky Airlines", "Harbor Hotel", "Pharma Plus", "Urban Outfit",
        "Pizza Palace", "Sushi Go", "Cinema One", "StreamFlix", "CloudHost", "Gadget Hub",
        "Home Depot Co", "Garden World", "Pet Planet", "Toy Town", "Shoe Box", "Jewel Box",
        "Auto Parts Inc", "Taxi Now", "Parking Pro", "Gym Fit", "Spa Serene", "Music Land",
        "Office Supply", "Craft Corner", "Wine Cellar", "Bakery Bliss", "Burger Barn", "Taco Stand",
        "Noodle House", "Coffee Cart", "Vape Shop", "Casino Royale", "Crypto Exchange", "Gift Cards R Us",
        "Electronics Depot", "Luxury Watches", "Travel Agency", "Car Rental", "Ferry Lines", "Ski Resort",
    };

    private static final String[] CATEGORY = {
        "grocery", "grocery", "transport", "restaurant", "fuel", "retail",
        "digital", "retail", "travel", "travel", "health", "apparel",
        "restaurant", "restaurant", "entertainment", "digital", "digital", "electronics",
        "home", "home", "retail", "retail", "apparel", "luxury",
        "auto", "transport", "transport", "health", "health", "entertainment",
        "retail", "retail", "restaurant", "restaurant", "restaurant", "restaurant",
        "restaurant", "restaurant", "retail", "gambling", "crypto", "gift_cards",
        "electronics", "luxury", "travel", "travel", "travel", "travel",
    };

    private static final int[] MCC = {
        5411, 5411, 4111, 5814, 5541, 5311, 5816, 5942, 4511, 7011, 5912, 5651,
        5812, 5812, 7832, 4899, 7372, 5732, 5200, 5261, 5995, 5945, 5661, 5944,
        5533, 4121, 7523, 7997, 7298, 5735, 5943, 5970, 5921, 5462, 5814, 5814,
        5812, 5814, 5993, 7995, 6051, 5947, 5732, 5944, 4722, 7512, 4411, 7011,
    };

    private static final String[] COUNTRIES = {
        "US", "GB", "DE", "FR", "ES", "IT", "NL", "SE", "PL", "CA", "BR", "MX", "JP", "IN", "AU", "NG", "RU", "CN", "AE", "SG",
    };
    private static final int[] COUNTRY_WEIGHT = {
        30, 10, 9, 8, 5, 5, 4, 3, 3, 5, 3, 2, 3, 3, 2, 1, 1, 1, 1, 1,
    };
    private static final double[] COUNTRY_RISK = {
        0.10, 0.10, 0.08, 0.10, 0.12, 0.14, 0.08, 0.06, 0.15, 0.09, 0.35, 0.38, 0.07, 0.30, 0.10, 0.70, 0.65, 0.45, 0.25, 0.08,
    };
    private static final int COUNTRY_WEIGHT_SUM;

    static {
        int s = 0;
        for (int w : COUNTRY_WEIGHT) s += w;
        COUNTRY_WEIGHT_SUM = s;
    }

    public static int merchantCount() {
        return MERCHANTS.length;
    }

    public static String merchantName(int id) {
        return MERCHANTS[id];
    }

    public static String merchantCategory(int id) {
        return CATEGORY[id];
    }

    public static int merchantMcc(int id) {
        return MCC[id];
    }

    public static int countryCount() {
        return COUNTRIES.length;
    }

    public static String country(int i) {
        return COUNTRIES[i];
    }

    /** Index of a country code, or -1. */
    public static int countryIndex(String code) {
        for (int i = 0; i < COUNTRIES.length; i++) {
            if (COUNTRIES[i].equals(code)) return i;
        }
        return -1;
    }

    /** Risk score in [0, 1] of a country code; 0.5 for an unknown one. */
    public static double countryRisk(String code) {
        int i = countryIndex(code);
        return i < 0 ? 0.5 : COUNTRY_RISK[i];
    }

    /** A country index drawn by weight from {@code u} in [0, 1). */
    static int weightedCountry(double u) {
        int target = (int) (u * COUNTRY_WEIGHT_SUM);
        for (int i = 0; i < COUNTRY_WEIGHT.length; i++) {
            target -= COUNTRY_WEIGHT[i];
            if (target < 0) return i;
        }
        return COUNTRY_WEIGHT.length - 1;
    }
}
