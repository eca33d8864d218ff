"""A stand-in app for the PM2 fixture: prints its arguments and waits to be stopped."""
import os
import sys
import time

print("server up", sys.argv[1:], os.environ.get("MODE"), flush=True)
while True:
    time.sleep(1)
