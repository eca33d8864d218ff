// An ES module ecosystem file (export default), as "type": "module" projects write it.
export default {
  apps: [{ name: 'esm-app', script: 'sleep', args: '300', instances: 2 }],
};
