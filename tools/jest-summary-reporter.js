// Prints one plain closing line, "tests: N passed, N failed, N skipped", after jest's own summary,
// so that CI systems that read a run's last line see the counts without parsing jest's layout.
'use strict';
class SummaryReporter {
  onRunComplete(_contexts, results) {
    const skipped = results.numPendingTests + results.numTodoTests;
    process.stdout.write(`tests: ${results.numPassedTests} passed, ${results.numFailedTests} failed, ${skipped} skipped\n`);
  }
}
module.exports = SummaryReporter;
