// Files may be dropped anywhere on the page once signed in; the drop zone lights up while they are dragged.

/**
 * @param {object} deps
 * @param {() => boolean} deps.signedIn
 * @param {(files: File[]) => void} deps.add
 */
export function acceptFileDrops({ signedIn, add }) {
  // dragenter and dragleave fire for every element crossed: the page is left when they even out.
  let depth = 0;
  const carriesFiles = (event) => signedIn() && [...(event.dataTransfer?.types ?? [])].includes('Files');

  document.addEventListener('dragenter', (event) => {
    if (!carriesFiles(event)) return;
    event.preventDefault();
    depth++;
    document.body.classList.add('dragging');
  });
  document.addEventListener('dragleave', (event) => {
    if (!carriesFiles(event)) return;
    depth = Math.max(0, depth - 1);
    if (depth === 0) document.body.classList.remove('dragging');
  });
  document.addEventListener('dragover', (event) => {
    if (!carriesFiles(event)) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'copy';
  });
  document.addEventListener('drop', (event) => {
    if (!carriesFiles(event)) return;
    event.preventDefault();
    depth = 0;
    document.body.classList.remove('dragging');
    add([...event.dataTransfer.files]);
  });
}
