#!/usr/bin/env node
// Readiness probe for test/infra/kafka.sh: exits 0 once the broker answers a metadata request
// (kafkajs admin listTopics) with the expected cluster id, 1 on timeout or when the broker
// process (pid) has died. The cluster id makes sure it is our broker, not another on that port.
// Usage: node ready.js <host:port> <timeoutSeconds> [pid] [clusterId]
const { readFileSync } = require('node:fs');
const { Kafka, logLevel } = require('kafkajs');

const [broker, timeoutSeconds = '90', pid, clusterId] = process.argv.slice(2);
const deadline = Date.now() + Number(timeoutSeconds) * 1000;

/** A dead broker stays a zombie until kafka.sh reaps it, so signal 0 alone would call it alive. */
function alive() {
  if (pid === undefined) return true;
  try {
    process.kill(Number(pid), 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return true; // no /proc: trust signal 0
  }
}

async function probe() {
  const admin = new Kafka({
    clientId: 'ready-probe',
    brokers: [broker],
    logLevel: logLevel.NOTHING,
    connectionTimeout: 1000,
    retry: { retries: 0 },
  }).admin();
  try {
    await admin.connect();
    await admin.listTopics();
    if (clusterId === undefined) return true;
    const cluster = await admin.describeCluster();
    if (cluster.clusterId === clusterId) return true;
    process.stderr.write(`ready.js: ${broker} answers for cluster ${cluster.clusterId}, not ours (${clusterId})\n`);
    return false;
  } catch {
    return false;
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

(async () => {
  while (Date.now() < deadline) {
    if (!alive()) {
      process.stderr.write(`ready.js: broker process ${pid} exited\n`);
      process.exit(1);
    }
    if (await probe()) process.exit(0);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  process.stderr.write(`ready.js: no metadata answer from ${broker} within ${timeoutSeconds} s\n`);
  process.exit(1);
})();
