// `npm start`: build what is missing or stale (scripts/build.mjs), then serve API + web on one
// port. Extra arguments go to the server, e.g. `npm start -- --no-demo`, `-- --demo`, `-- --workers 2`.
import './check-node.mjs';
import { spawn } from 'node:child_process';
import { bundle, ensureBuilt, root } from './build.mjs';

await ensureBuilt();
const child = spawn(process.execPath, ['--enable-source-maps', bundle, 'serve', ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code) => process.exit(code ?? 0));
