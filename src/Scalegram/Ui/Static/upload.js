// The upload page: pick or drop a file, preview it with the chosen filter and an optional square
// crop, send it to POST /api/photos with progress, then show the photo until it is processed.
'use strict';

(() => {
  const form = document.querySelector('[data-upload-form]');
  if (!form) return;
  const input = form.querySelector('[data-file]');
  const dropzone = form.querySelector('[data-dropzone]');
  const preview = form.querySelector('[data-preview]');
  const frame = form.querySelector('[data-frame]');
  const img = form.querySelector('[data-preview-img]');
  const note = form.querySelector('[data-preview-note]');
  const cropBox = form.querySelector('[data-crop-box]');
  const square = form.querySelector('[data-square]');
  const error = form.querySelector('[data-upload-error]');
  const progress = form.querySelector('[data-progress]');
  const bar = form.querySelector('[data-progress-bar]');
  const progressText = form.querySelector('[data-progress-text]');
  const submit = form.querySelector('[data-submit]');
  const maxBytes = Number(form.dataset.maxBytes);

  let file = null;
  let objectUrl = null;
  let cropAt = 0.5; // where the square sits along the long side: 0 = start, 1 = end

  function showError(message) {
    error.textContent = message;
    error.hidden = !message;
  }

  function choose(chosen) {
    if (!chosen) return;
    file = chosen;
    showError('');
    if (objectUrl) URL.revokeObjectURL(objectUrl);
    objectUrl = URL.createObjectURL(file);
    note.textContent = `${file.name} · ${(file.size / (1024 * 1024)).toFixed(1)} MB`;
    img.hidden = false;
    img.src = objectUrl;
    dropzone.hidden = true;
    preview.hidden = false;
    submit.disabled = false;
    cropAt = 0.5;
    if (file.size > maxBytes) showError(`This file is ${(file.size / (1024 * 1024)).toFixed(1)} MB; a photo may be at most ${Math.floor(maxBytes / (1024 * 1024))} MB.`);
  }

  img.addEventListener('load', placeCropBox);
  img.addEventListener('error', () => {
    // Let the server have the last word on what the file is; say what we saw.
    img.hidden = true;
    note.textContent = `${file ? file.name + ': ' : ''}this file can't be previewed, so it may not be a JPEG, PNG, WebP or AVIF image.`;
  });

  input.addEventListener('change', () => choose(input.files[0]));
  form.querySelector('[data-change-file]').addEventListener('click', () => input.click());

  for (const type of ['dragenter', 'dragover']) {
    dropzone.addEventListener(type, e => { e.preventDefault(); dropzone.classList.add('dragging'); });
  }
  for (const type of ['dragleave', 'drop']) {
    dropzone.addEventListener(type, () => dropzone.classList.remove('dragging'));
  }
  dropzone.addEventListener('drop', e => {
    e.preventDefault();
    if (e.dataTransfer?.files?.length) choose(e.dataTransfer.files[0]);
  });

  // ---- filter preview: the same look, approximated with CSS filters ----
  form.addEventListener('change', e => {
    if (e.target.name === 'filter') img.className = `filter-${e.target.value}`;
    if (e.target === square) placeCropBox();
  });

  // ---- square crop: a centred square that can be dragged (or moved with arrow keys) along the long side ----
  function placeCropBox() {
    const on = square.checked && !img.hidden && img.naturalWidth > 0;
    cropBox.hidden = !on;
    frame.classList.toggle('cropping', on);
    if (!on) return;
    const w = img.clientWidth, h = img.clientHeight, side = Math.min(w, h);
    const x = img.offsetLeft + (w > h ? (w - side) * cropAt : 0);
    const y = img.offsetTop + (h > w ? (h - side) * cropAt : 0);
    Object.assign(cropBox.style, { width: `${side}px`, height: `${side}px`, left: `${x}px`, top: `${y}px` });
    cropBox.setAttribute('aria-valuenow', String(Math.round(cropAt * 100)));
  }

  function moveCrop(to) {
    cropAt = Math.min(1, Math.max(0, to));
    placeCropBox();
  }

  let drag = null;
  cropBox.addEventListener('pointerdown', e => {
    drag = { x: e.clientX, y: e.clientY, at: cropAt };
    cropBox.setPointerCapture(e.pointerId);
  });
  cropBox.addEventListener('pointermove', e => {
    if (!drag) return;
    const w = img.clientWidth, h = img.clientHeight;
    const travel = Math.abs(w - h) || 1;
    moveCrop(drag.at + (w > h ? e.clientX - drag.x : e.clientY - drag.y) / travel);
  });
  cropBox.addEventListener('pointerup', () => { drag = null; });
  cropBox.addEventListener('keydown', e => {
    const step = { ArrowLeft: -0.05, ArrowUp: -0.05, ArrowRight: 0.05, ArrowDown: 0.05, Home: -1, End: 1 }[e.key];
    if (step !== undefined) { e.preventDefault(); moveCrop(cropAt + step); }
  });
  window.addEventListener('resize', placeCropBox);

  /** The crop in the original's pixels, as the API wants it: "x,y,w,h". */
  function cropParam() {
    if (!square.checked || img.hidden || !img.naturalWidth) return null;
    const w = img.naturalWidth, h = img.naturalHeight, side = Math.min(w, h);
    const x = w > h ? Math.round((w - side) * cropAt) : 0;
    const y = h > w ? Math.round((h - side) * cropAt) : 0;
    return `${x},${y},${side},${side}`;
  }

  // ---- send, with progress; then follow the photo until it is ready ----
  form.addEventListener('submit', e => {
    e.preventDefault();
    if (!file) { showError('Choose a photo first.'); input.focus(); return; }
    if (file.size > maxBytes) return;
    const data = new FormData();
    data.append('file', file, file.name);
    data.append('caption', form.querySelector('#caption').value);
    data.append('filter', form.querySelector('input[name="filter"]:checked')?.value || 'none');
    const crop = cropParam();
    if (crop) data.append('crop', crop);

    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/api/photos');
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.setRequestHeader('X-CSRF-TOKEN', Scalegram.csrfToken());
    xhr.upload.addEventListener('progress', p => {
      if (!p.lengthComputable) return;
      const percent = Math.round((p.loaded / p.total) * 100);
      bar.value = percent;
      progressText.textContent = `${percent}%`;
    });
    xhr.addEventListener('load', () => done(xhr));
    xhr.addEventListener('error', () => failed('The upload did not reach the server; check your connection and try again.'));
    showError('');
    bar.value = 0;
    progressText.textContent = '0%';
    progress.hidden = false;
    submit.disabled = true;
    submit.textContent = 'Uploading…';
    xhr.send(data);
  });

  function failed(message) {
    progress.hidden = true;
    submit.disabled = false;
    submit.textContent = 'Share';
    showError(message);
  }

  async function done(xhr) {
    if (xhr.status === 401) { location.assign('/signin?returnUrl=/upload'); return; }
    let body = null;
    try { body = JSON.parse(xhr.responseText); } catch { /* not JSON */ }
    if (xhr.status !== 202 || !body?.id) {
      failed(body?.detail || `The upload failed (HTTP ${xhr.status}). Try again.`);
      return;
    }
    try {
      const photo = await Scalegram.api('GET', `/api/photos/${encodeURIComponent(body.id)}`);
      const card = document.getElementById('card-template').content.firstElementChild.cloneNode(true);
      Scalegram.fillPhoto(card, photo);
      document.querySelector('[data-result-slot]').append(card);
      form.hidden = true;
      const result = document.querySelector('[data-upload-result]');
      result.hidden = false;
      result.querySelector('h2').focus();
      if (objectUrl) URL.revokeObjectURL(objectUrl);
    } catch (e) {
      failed(e.message);
    }
  }
})();
