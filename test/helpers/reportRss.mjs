// Preloaded with `node --import` into a process a test measures: at exit it writes the process's peak
// resident set size (bytes) to the file named by AIN_RSS_FILE.
import { writeFileSync } from 'node:fs';

const file = process.env.AIN_RSS_FILE;
if (file) process.on('exit', () => writeFileSync(file, String(process.resourceUsage().maxRSS * 1024)));
