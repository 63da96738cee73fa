import { productNextConfig } from '@studio/tenancy/env';
import { validateEnv } from './src/env';

export default productNextConfig({ dir: import.meta.dirname, validateEnv });
