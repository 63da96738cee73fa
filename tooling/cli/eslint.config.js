import base from '@studio/eslint-config';

export default base;
