/**
 * @turnout/resilience: the pure building blocks that protect an upstream and the client from
 * each other (issue 6). `RetryPolicy` decides whether and when to try a failed upstream call
 * again (only while nothing has reached the client), `sleep` waits between tries and stops
 * when the client leaves, `CircuitBreaker` stops sending to an upstream that keeps failing and
 * lets one probe decide when it is back, and `ConcurrencyLimiter` keeps a local server within
 * its slots with a bounded FIFO wait queue. No framework, no I/O, no global timers that tests
 * cannot replace: the gateway owns one breaker and one limiter per provider and wires them to
 * routing and metrics.
 */
export * from './retry-policy';
export * from './retry-after';
export * from './sleep';
export * from './circuit-breaker';
export * from './concurrency-limiter';
export * from './hold-time-estimate';
export * from './timers';
export * from './abort-error';
export * from './provider-guards';
export * from './attempt-signal';
export * from './circuit-verdict';
