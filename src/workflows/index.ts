export { deliverWebhooks } from './deliverWebhooks';
export { processImage } from './processImage';
export { purgeImage } from './purgeImage';
export { reclusterAll } from './reclusterAll';
export { reclusterUser } from './reclusterUser';
export { sweepStorage } from './sweepStorage';
