// `npm run dev`: builds, prepares the database and runs the API and the worker
// together with the development configuration, for a first look on one machine.
import { loadConfiguration, prepare, runTogether } from './local-stack.mjs';

loadConfiguration('dev');
await prepare('dev');
runTogether('dev', ['api', 'worker']);
