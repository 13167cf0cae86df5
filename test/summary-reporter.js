// Prints one plain closing line that any CI can read: "tests: N passed, N failed, N skipped",
// preceded by the reasons for skipped suites (e.g. a server that was not configured).
class SummaryReporter {
  onRunComplete(_contexts, results) {
    const reasons = new Set();
    for (const file of results.testResults) {
      for (const test of file.testResults) {
        if (test.status !== 'pending') continue;
        const reason = test.ancestorTitles.find((title) => title.includes('(skipped:'));
        if (reason !== undefined) reasons.add(reason);
      }
    }
    if (reasons.size > 0) {
      process.stdout.write(`\nskipped suites:\n${[...reasons].map((r) => `  - ${r}`).join('\n')}\n`);
    }
    const skipped = results.numPendingTests + results.numTodoTests;
    const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
    process.stdout.write(`\ntests: ${results.numPassedTests} passed, ${failed} failed, ${skipped} skipped\n`);
  }
}
module.exports = SummaryReporter;
