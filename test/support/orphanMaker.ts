/**
 * A parent that starts a long-running child and then ends without stopping it, in the way
 * argv[2] names: 'crash' (an uncaught error) or 'sigterm' (waits to be sent SIGTERM).
 * It prints the child's pid first, so test/reapOnExit.test.ts can check the child is gone.
 */
import { spawn } from 'node:child_process';
import { exitOnInterrupt, reapOnExit } from '../../tools/devstack/reapOnExit';

exitOnInterrupt();
const child = spawn('sleep', ['300'], { stdio: 'ignore' });
reapOnExit(child);
console.log(String(child.pid));
if (process.argv[2] === 'crash') {
  setTimeout(() => {
    throw new Error('the parent crashed');
  }, 50);
} else {
  setInterval(() => undefined, 1000); // stays up until the test sends SIGTERM
}
