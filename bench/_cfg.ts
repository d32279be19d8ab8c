import { BenchStack } from './lib/stack.js';
const s = new BenchStack({ SFPIPE_KAFKA_BROKERS: '127.0.0.1:19092', SFPIPE_CONNECT_URL: 'http://127.0.0.1:18083', DOCKER_HOST: 'unix:///root/.cache/sfpipe-harness/docker/docker.sock' }, console.log);
const { cwd, env } = s.consoleSetup('try');
console.log(cwd);
