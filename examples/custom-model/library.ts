// The slsa-for-models library, for this example. In your own app, install the package
// (`npm install slsa-for-models`) and write `export * from 'slsa-for-models';` here, or import from
// 'slsa-for-models' directly. Inside this repository the example uses the source tree, so that the
// repository's type-check covers it; test/example.test.ts swaps in the package built by `npm pack`.
export * from '../../src';
