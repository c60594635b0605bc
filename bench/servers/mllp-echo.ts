// Baseline: the app's own MLLP listener (framing, the ORU^R01 reader, the ACK builder) answering AA to every
// message without a database: the floor of the HL7 protocol and parsing on this machine.
import { createMllpListener } from '../../apps/server/src/modules/laboratory/hl7/mllp-listener';
import { announceListening } from '../server-process';

const silent = { debug() {}, info() {}, warn() {}, error() {} };
const listener = createMllpListener({
  logger: silent,
  handler: async () => ({ code: 'AA' }),
  read: { accessionSource: 'OBR-3' },
});
const address = await listener.start(0, '127.0.0.1');
announceListening(address.port);
process.on('SIGTERM', () => void listener.close().then(() => process.exit(0)));
