// The imagepipe gallery: a client of the public API like any other, as ES modules with no framework or build step.
// This one creates the session and the page's sections, connects them, and starts; each section keeps its own state.
import { createApi } from './api.js';
import { createAuthForm } from './auth.js';
import { byId } from './dom.js';
import { acceptFileDrops } from './fileDrop.js';
import { createGroups } from './groups.js';
import { createImageView } from './imageView.js';
import { createLibrary } from './library.js';
import { createRunFollower } from './runFollower.js';
import { createSearchBox } from './searchBox.js';
import { createSession } from './session.js';
import { createSettings } from './settings.js';
import { createUploads } from './uploads.js';

const session = createSession();
const api = createApi(session);
// The sections call one another (a tile opens the image view, which removes the tile on delete): the arrow functions
// below reach sections created after them, and are only called once all exist.
const runs = createRunFollower({
  api,
  onEnd: (image) => {
    library.update(image);
    groups.reloadSoon();
  },
});
const library = createLibrary({
  api,
  follow: runs.follow,
  open: (imageId) => imageView.open(imageId),
  onShow: (listing) => {
    groups.reflect();
    searchBox.reflect(listing);
  },
});
const groups = createGroups({ api, library });
const searchBox = createSearchBox({ library, showAll: () => groups.show(undefined) });
const imageView = createImageView({ api, library, groups });
const uploads = createUploads({ api, library, runs });
createSettings({ api });
const authForm = createAuthForm({
  api,
  session,
  onSignedIn: () => {
    showApp();
    byId('choose').focus();
  },
});

function showApp() {
  byId('auth').hidden = true;
  byId('app').hidden = false;
  byId('who').hidden = false;
  byId('who').textContent = session.current.email ?? '';
  byId('open-settings').hidden = false;
  byId('sign-out').hidden = false;
  groups.load();
  library.load();
  imageView.openFromHash();
  // Images whose processing ends, this tab's uploads or another client's, take their place in the grid.
  api.followImageEvents((image) => {
    library.update(image);
    groups.reloadSoon();
  });
}

const signedIn = () => Boolean(session.current);
byId('sign-out').addEventListener('click', () => session.end());
window.addEventListener('hashchange', () => {
  if (signedIn()) imageView.openFromHash();
});
acceptFileDrops({ signedIn, add: uploads.add });

if (signedIn()) {
  api.scheduleRefresh();
  showApp();
} else {
  authForm.show();
}
