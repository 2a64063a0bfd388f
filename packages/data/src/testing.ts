/**
 * Test support for other packages (`@hourglass/data/testing`): image
 * folders written to disk with known pixels. Kept out of the main entry
 * so that nothing in production depends on it.
 */
export { gradientImage, writeImageFolder, type FixtureImage } from './image-folder-fixture.ts';
export { encodeNpy } from './npy-fixture.ts';
