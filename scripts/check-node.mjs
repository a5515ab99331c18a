// Stops `npm install` (postinstall), `npm start` and `npm test` on a Node.js older than the
// `engines` line in package.json, saying which version to install, instead of letting a
// dependency fail later in a way that does not name the cause. Imported first by those scripts:
// its body runs before the modules that need the newer Node. Plain old syntax on purpose.
import { readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const match = />=\s*(\d+)/.exec(pkg.engines.node);
const want = match ? Number(match[1]) : 0;
const have = Number(process.versions.node.split('.')[0]);

if (have < want) {
  console.error(
    [
      `Trường Số cần Node.js ${want} trở lên; máy này đang chạy Node.js ${process.version}.`,
      `Cài Node.js ${want} LTS (https://nodejs.org/), hoặc trong bash chạy \`. scripts/ensure-node.sh\` để tải Node.js ${want} từ npm vào .tmp/node${want}/, rồi chạy lại lệnh.`,
      `Trường Số needs Node.js ${want} or newer; this machine runs Node.js ${process.version}.`,
      `Install Node.js ${want} LTS (https://nodejs.org/), or in bash run \`. scripts/ensure-node.sh\` to fetch Node.js ${want} from npm into .tmp/node${want}/, then run the command again.`,
    ].join('\n'),
  );
  process.exit(1);
}
