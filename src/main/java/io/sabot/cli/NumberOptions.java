package io.sabot.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Numeric options and parameters in the user's words: a bad value reads
 * {@code --log-budget-mb: 'x' is not a whole number}, never picocli's "'x' is not a long" (a Java
 * type). Converters for every numeric type the commands use, registered once over the whole
 * command tree, and a parameter-exception handler that puts the option's name first. Held by
 * CliMisuseTest.
 */
final class NumberOptions {
    private NumberOptions() {}

    /** What the user typed is not a number of the kind asked for. */
    static final class BadNumber extends TypeConversionException {
        private static final long serialVersionUID = 1L;

        BadNumber(String value, String kind) {
            super("'" + value + "' is not " + kind);
        }

        BadNumber(String value, String what, long limit) {
            super("'" + value + "' is " + what + " (the limit is " + limit + ")");
        }
    }

    static void install(CommandLine cl) {
        ITypeConverter<Integer> ints = v -> whole(v, Integer.MIN_VALUE, Integer.MAX_VALUE).intValue();
        ITypeConverter<Long> longs = v -> whole(v, Long.MIN_VALUE, Long.MAX_VALUE);
        ITypeConverter<Double> doubles = v -> {
            try {
                return Double.parseDouble(v.trim());
            } catch (NumberFormatException e) {
                throw new BadNumber(v, "a number");
            }
        };
        cl.registerConverter(Integer.class, ints).registerConverter(int.class, ints)
                .registerConverter(Long.class, longs).registerConverter(long.class, longs)
                .registerConverter(Double.class, doubles).registerConverter(double.class, doubles);
        CommandLine.IParameterExceptionHandler picocliDefault = cl.getParameterExceptionHandler();
        cl.setParameterExceptionHandler((ex, args) -> {
            BadNumber bad = badNumber(ex);
            if (bad == null || ex.getArgSpec() == null) return picocliDefault.handleParseException(ex, args);
            CommandLine line = ex.getCommandLine();
            PrintWriter err = line.getErr();
            String what = ex.getArgSpec().isOption() ? ((CommandLine.Model.OptionSpec) ex.getArgSpec()).longestName()
                    : ex.getArgSpec().paramLabel();
            err.println(line.getCommandSpec().qualifiedName() + ": " + what + ": " + bad.getMessage());
            err.println("Try '" + line.getCommandSpec().qualifiedName() + " --help' for more information.");
            err.flush();
            return ExitCodes.BAD_INPUT;
        });
    }

    private static Long whole(String v, long min, long max) {
        long n;
        try {
            n = Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new BadNumber(v, "a whole number");
        }
        if (n > max) throw new BadNumber(v.trim(), "too large", max);
        if (n < min) throw new BadNumber(v.trim(), "too small", min);
        return n;
    }

    private static BadNumber badNumber(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) if (c instanceof BadNumber b) return b;
        return null;
    }
}
