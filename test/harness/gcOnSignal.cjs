// Loaded into a service process a test starts (with --expose-gc): SIGUSR2 asks it for a full garbage collection, so
// the test measures the memory the process holds, not garbage it has not collected yet.
process.on('SIGUSR2', () => global.gc?.());
