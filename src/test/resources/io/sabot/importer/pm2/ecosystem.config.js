// A PM2 ecosystem file as people write them: a program, so node must run it.
// Every key of Sabot's PM2 mapping appears in one app or another.
const path = require('path');

const base = { autorestart: true, kill_timeout: 3000 };

module.exports = {
  apps: [
    {
      ...base,
      name: 'API Server',
      script: 'server.py',
      args: '--port 0 --greeting "hello world"',
      cwd: path.join('.'),
      interpreter: 'python3',
      interpreter_args: '-u',
      instances: 1 + 1,
      exec_mode: 'cluster',
      env: { MODE: 'dev', API_TOKEN: 'abc123' },
      env_production: { MODE: 'live' },
      max_restarts: 10,
      min_uptime: '5s',
      exp_backoff_restart_delay: 100,
      max_memory_restart: '300M',
      watch: false,
      out_file: './logs/api.log',
      namespace: 'payments',
      listen_timeout: 8000,
      wait_ready: true,
      cron_restart: '0 0 * * *',
    },
    {
      name: 'worker',
      script: 'sleep',
      args: ['300'],
      instances: 3,
      increment_var: 'PORT',
      env: { PORT: 9000 },
      autorestart: false,
      restart_delay: 2000,
      stop_exit_codes: [0],
      treekill: true,
    },
    {
      name: 'ticker',
      script: 'echo tick; exec sleep 300',
      time: true,
    },
  ],
  deploy: { production: { user: 'node', host: 'example.invalid' } },
};
