// The real-binary tests (test/real) run Debian's prometheus, prometheus-node-exporter and prometheus-alertmanager;
// install them when missing.
import { execSync } from 'node:child_process';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';

// The same defaults as test/real/binaries.ts.
const BINARIES = {
  prometheus: process.env.PROMETHEUS_PATH || '/usr/bin/prometheus',
  nodeExporter: process.env.NODE_EXPORTER_PATH || '/usr/bin/prometheus-node-exporter',
  alertmanager: process.env.ALERTMANAGER_PATH || '/usr/bin/prometheus-alertmanager',
};
const PACKAGES = 'prometheus prometheus-node-exporter prometheus-alertmanager';
const POLICY = '/usr/sbin/policy-rc.d';

const missing = () => Object.values(BINARIES).filter((p) => !existsSync(p));

/** Whether something answers on 127.0.0.1:port (the packages' services listen on 9090, 9100 and 9093). */
const listening = (port) =>
  new Promise((resolve) => {
    const s = connect({ host: '127.0.0.1', port }, () => {
      s.destroy();
      resolve(true);
    });
    s.on('error', () => resolve(false));
  });

if (missing().length === 0) {
  console.log(`test/real: using ${PACKAGES} from /usr/bin`);
} else if (process.platform === 'linux' && process.getuid?.() === 0 && existsSync('/usr/bin/apt-get')) {
  console.log(`test/real: installing Debian packages ${PACKAGES} with apt-get`);
  // The packages' postinst would start their services; policy-rc.d's 101 tells invoke-rc.d not to.
  const ownPolicy = !existsSync(POLICY);
  if (ownPolicy) writeFileSync(POLICY, '#!/bin/sh\nexit 101\n', { mode: 0o755 });
  try {
    execSync(
      `apt-get update -qq && apt-get install -y -qq -o DPkg::Lock::Timeout=120 --no-install-recommends ${PACKAGES} >/dev/null`,
      { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } },
    );
  } finally {
    if (ownPolicy) rmSync(POLICY, { force: true });
  }
  // Under systemd the units may still have been started: stop them, the tests run their own on free ports.
  for (const [unit, port] of [
    ['prometheus', 9090],
    ['prometheus-node-exporter', 9100],
    ['prometheus-alertmanager', 9093],
  ]) {
    if (await listening(port)) {
      execSync(`systemctl stop ${unit} || invoke-rc.d ${unit} stop || true`, { stdio: 'inherit' });
      if (await listening(port)) console.warn(`test/real: something still listens on 127.0.0.1:${port}`);
    }
  }
} else {
  // Not fatal here: the real-binary tests fail themselves, saying how to install the packages.
  console.warn(
    `test/real: ${missing().join(' and ')} missing and not installable here (needs root and apt-get); ` +
      `install the Debian packages ${PACKAGES}, or set PROMETHEUS_PATH / NODE_EXPORTER_PATH / ALERTMANAGER_PATH.`,
  );
}
