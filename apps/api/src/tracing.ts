// main.ts imports this before anything else: instrumentation has to be in place
// before the modules it patches (http, ioredis, pg) are first loaded.
import { startTracing } from '@assent/telemetry';

startTracing(process.env, 'assent-api');
