# Parses a metrics exposition from stdin with the Prometheus project's own Python client and prints
# its families as JSON. argv[1]: "openmetrics" (OpenMetrics text) or "prometheus" (text format 0.0.4).
# A parse error exits non-zero with the parser's message: the test fails on it.
import json
import sys

text = sys.stdin.read()
if sys.argv[1] == "openmetrics":
    from prometheus_client.openmetrics.parser import text_string_to_metric_families
else:
    from prometheus_client.parser import text_string_to_metric_families
out = []
for f in text_string_to_metric_families(text):
    out.append({"name": f.name, "type": f.type, "unit": getattr(f, "unit", ""), "help": f.documentation,
                "samples": [{"name": s.name, "labels": s.labels, "value": s.value} for s in f.samples]})
json.dump(out, sys.stdout)
