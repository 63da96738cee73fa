import { packageConfig } from '@studio/eslint-config';

// process.env only in env modules (and the CLI): see packageConfig().
export default packageConfig();
