import { appConfig } from '@studio/eslint-config';

export default appConfig();
