export { processImage } from './processImage';
export { purgeImage } from './purgeImage';
