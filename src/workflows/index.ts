export { processImage } from './processImage';
