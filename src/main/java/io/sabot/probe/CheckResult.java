package io.sabot.probe;

/** One check's outcome: passed or not, and what was seen ("GET http://... answered 503"). */
record CheckResult(boolean ok, String detail) {
    static CheckResult pass(String detail) { return new CheckResult(true, detail); }

    static CheckResult fail(String detail) { return new CheckResult(false, detail); }
}
