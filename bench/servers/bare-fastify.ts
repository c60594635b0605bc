// Baseline: the cheapest Fastify answer this machine can give, so other numbers read as a ratio to it.
import Fastify from 'fastify';
import { announceListening } from '../server-process';

const app = Fastify({ logger: false });
app.get('/ping', async () => ({ status: 'ok' }));
await app.listen({ host: '127.0.0.1', port: 0 });
const address = app.server.address();
announceListening(typeof address === 'object' && address ? address.port : 0);
process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
