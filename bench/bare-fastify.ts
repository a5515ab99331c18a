// Baseline for HTTP benchmarks: a bare Fastify JSON route in its own process, measured in the
// same run and on the same machine as our endpoints.
import Fastify from 'fastify';

const port = Number(process.env.PORT ?? 3999);
const app = Fastify({ logger: false });
const payload = { status: 'ok', items: Array.from({ length: 5 }, (_, i) => ({ id: i, name: `Học sinh ${i}` })) };
app.get('/json', async () => payload);
await app.listen({ port, host: '127.0.0.1' });
console.log(`ready ${port}`);
