export { benchRenderer } from '../tests/e2e/helpers/bench-renderer';
