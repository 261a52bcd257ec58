const { TestEnvironment } = require('jest-environment-node');

/**
 * Node's test environment, with the worker's own `process` given to the tests
 * as `workerProcess`. The `process` a test sees is a copy whose listeners
 * never fire, so a test that must hear of an unhandled rejection (the fuzz
 * tests fail on one) listens on this one.
 */
class FuzzEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    this.global.workerProcess = process;
  }
}

module.exports = FuzzEnvironment;
