// Scalegram's page scripts: likes, comments, follows, delete, infinite scroll and "processing" photos
// that turn into images. They call the JSON API (/api/...) and write user text with textContent only.
'use strict';

const Scalegram = (() => {
  const csrfToken = () => document.querySelector('meta[name="csrf-token"]')?.content ?? '';
  const me = () => document.querySelector('meta[name="me"]')?.content ?? null;

  /** Calls the API; throws an Error whose message is the problem's detail (a sentence a person can act on). */
  async function api(method, url, body) {
    const init = { method, credentials: 'same-origin', headers: { Accept: 'application/json' } };
    if (method !== 'GET') init.headers['X-CSRF-TOKEN'] = csrfToken();
    if (body !== undefined) {
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    const response = await fetch(url, init);
    if (response.status === 401) {
      location.assign('/signin?returnUrl=' + encodeURIComponent(location.pathname));
      throw new Error('Sign in first.');
    }
    if (!response.ok) throw new Error(await problemDetail(response));
    return response.status === 204 ? null : response.json();
  }

  async function problemDetail(response) {
    try {
      const problem = await response.json();
      if (problem && typeof problem.detail === 'string') return problem.detail;
    } catch { /* not JSON: fall through */ }
    return `Something went wrong (HTTP ${response.status}). Try again.`;
  }

  let toastTimer;
  function toast(message) {
    const el = document.getElementById('toast');
    if (!el) return;
    el.textContent = message;
    el.hidden = false;
    clearTimeout(toastTimer);
    toastTimer = setTimeout(() => { el.hidden = true; }, 4000);
  }

  const plural = (n, one, many) => `${n} ${n === 1 ? one : many}`;

  function timeAgo(iso) {
    const at = new Date(iso);
    const seconds = (Date.now() - at.getTime()) / 1000;
    if (seconds < 60) return 'now';
    if (seconds < 3600) return `${Math.floor(seconds / 60)}m`;
    if (seconds < 86400) return `${Math.floor(seconds / 3600)}h`;
    if (seconds < 7 * 86400) return `${Math.floor(seconds / 86400)}d`;
    return at.toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric' });
  }

  const variant = (photo, name) => photo.variants.find(v => v.name === name);
  const initial = name => (name || '?').charAt(0).toUpperCase();
  const each = (root, selector, fn) => root.querySelectorAll(selector).forEach(fn);
  const setText = (root, selector, text) => each(root, selector, el => { el.textContent = text; });

  /** Points an <img> at a photo's variants: data-set="grid" uses thumb+medium, "full" medium+large (as PhotoView does); data-main names the src. */
  function setImage(img, photo) {
    const names = img.dataset.set === 'grid' ? ['thumb', 'medium'] : ['medium', 'large'];
    const variants = names.map(n => variant(photo, n)).filter(Boolean);
    if (variants.length === 0) return;
    const main = variant(photo, img.dataset.main || '') || variants[0]; // the src for browsers without srcset
    img.srcset = variants.map(v => `${v.url} ${v.width}w`).join(', ');
    img.width = main.width;
    img.height = main.height;
    img.src = main.url;
    img.alt = photo.caption || `Photo by ${photo.owner.username}`;
  }

  /** Points a <picture>'s <source type=...> at the same variants in that format; a photo without them (made before they existed) leaves no srcset, so the JPEG <img> is used. */
  function setSource(source, photo) {
    const names = source.dataset.sourceSet === 'grid' ? ['thumb', 'medium'] : ['medium', 'large'];
    const entries = names.map(n => variant(photo, n)).filter(Boolean)
      .map(v => ({ v, s: (v.sources || []).find(s => s.type === source.type) })).filter(x => x.s)
      .map(x => `${x.s.url} ${x.v.width}w`);
    if (entries.length) source.srcset = entries.join(', '); else source.removeAttribute('srcset');
  }

  /** Fills a card, grid item or photo page (anything with data-photo-id) from a PhotoDto. */
  function fillPhoto(root, photo) {
    root.dataset.photoId = photo.id;
    root.dataset.status = photo.status;
    each(root, '[data-photo-link]', a => { a.href = `/p/${encodeURIComponent(photo.id)}${a.dataset.hash || ''}`; });
    each(root, '[data-owner-link]', a => { a.href = `/u/${encodeURIComponent(photo.owner.username)}`; });
    setText(root, '[data-owner-name]', photo.owner.displayName || photo.owner.username);
    setText(root, '[data-owner-handle]', '@' + photo.owner.username);
    setText(root, '[data-owner-username]', photo.owner.username);
    setText(root, '[data-owner-initial]', initial(photo.owner.displayName || photo.owner.username));
    each(root, 'time[data-time]', t => { t.dateTime = photo.createdAt; t.textContent = timeAgo(photo.createdAt); });
    setText(root, '[data-caption]', photo.caption);
    each(root, '[data-caption-row]', el => { el.hidden = !photo.caption; });
    each(root, '[data-like]', b => b.setAttribute('aria-pressed', photo.likedByMe ? 'true' : 'false'));
    setCount(root, '[data-like-count]', photo.likes, 'like', 'likes');
    setCount(root, '[data-comment-count]', photo.comments, 'comment', 'comments');
    const ready = photo.status === 'ready';
    each(root, 'source[data-source-set]', s => { if (ready) setSource(s, photo); });
    each(root, 'img[data-photo-img]', img => { if (ready) setImage(img, photo); img.hidden = !ready; });
    // The preview shows under the loading image, and behind "Processing…" when the upload could make one.
    const preview = photo.status !== 'failed' && photo.placeholder;
    each(root, 'img[data-blur]', img => { if (preview && img.getAttribute('src') !== preview) img.src = preview; img.hidden = !preview; });
    each(root, '[data-placeholder]', el => { el.hidden = ready; });
    setText(root, '[data-placeholder-text]', photo.status === 'failed'
      ? `This photo could not be processed${photo.failureReason ? ': ' + photo.failureReason : '.'}`
      : 'Processing…');
    if (photo.status === 'processing') watch(root);
  }

  function setCount(root, selector, n, one, many) {
    each(root, selector, el => { el.dataset.n = String(n); el.textContent = plural(n, one, many); });
  }

  // ---- processing → ready, without a reload ----
  const watched = new Set();
  function watch(root) {
    const id = root.dataset.photoId;
    if (!id || watched.has(id)) return;
    watched.add(id);
    let tries = 0;
    const poll = async () => {
      tries++;
      try {
        const photo = await api('GET', `/api/photos/${encodeURIComponent(id)}`);
        if (photo.status !== 'processing') {
          watched.delete(id);
          document.querySelectorAll(`[data-photo-id="${CSS.escape(id)}"]`).forEach(el => fillPhoto(el, photo));
          return;
        }
      } catch { /* a blip: try again */ }
      if (tries < 240) setTimeout(poll, Math.min(500 + tries * 100, 2000));
      else watched.delete(id);
    };
    setTimeout(poll, 500);
  }

  // ---- likes, follows, delete, comments (event delegation, so loaded cards work too) ----
  async function toggleLike(button) {
    const root = button.closest('[data-photo-id]');
    const id = root.dataset.photoId;
    const liked = button.getAttribute('aria-pressed') === 'true';
    const counter = root.querySelector('[data-like-count]');
    const n = Number(counter?.dataset.n || 0) + (liked ? -1 : 1);
    button.setAttribute('aria-pressed', liked ? 'false' : 'true');
    if (counter) setCount(root, '[data-like-count]', Math.max(0, n), 'like', 'likes');
    button.disabled = true;
    try {
      await api(liked ? 'DELETE' : 'PUT', `/api/photos/${encodeURIComponent(id)}/like`);
      const photo = await api('GET', `/api/photos/${encodeURIComponent(id)}`);
      setCount(root, '[data-like-count]', photo.likes, 'like', 'likes');
      button.setAttribute('aria-pressed', photo.likedByMe ? 'true' : 'false');
    } catch (e) {
      button.setAttribute('aria-pressed', liked ? 'true' : 'false');
      toast(e.message);
    } finally {
      button.disabled = false;
    }
  }

  async function toggleFollow(button) {
    const username = button.dataset.follow;
    const following = button.getAttribute('aria-pressed') === 'true';
    button.disabled = true;
    try {
      const result = await api(following ? 'DELETE' : 'PUT', `/api/me/following/${encodeURIComponent(username)}`);
      const requested = !following && result?.status === 'requested';
      const wasRequest = button.dataset.requested === 'true';
      button.dataset.requested = requested ? 'true' : 'false';
      button.setAttribute('aria-pressed', following ? 'false' : 'true');
      button.textContent = following ? 'Follow' : (requested ? 'Requested' : 'Following');
      button.classList.toggle('btn-primary', following);
      button.classList.toggle('btn-ghost', !following);
      // A private account's request (or its withdrawal) changes no count.
      if (requested || (following && wasRequest)) return;
      const counter = document.querySelector('[data-followers-count]');
      if (counter) counter.textContent = String(Math.max(0, Number(counter.textContent) + (following ? -1 : 1)));
    } catch (e) {
      toast(e.message);
    } finally {
      button.disabled = false;
    }
  }

  function commentItem(comment) {
    const li = document.createElement('li');
    li.className = 'comment';
    const author = document.createElement('a');
    author.className = 'comment-author';
    author.href = `/u/${encodeURIComponent(comment.author.username)}`;
    author.textContent = comment.author.username;
    const text = document.createElement('span');
    text.className = 'comment-text';
    text.textContent = comment.text;
    const when = document.createElement('time');
    when.className = 'when';
    when.dateTime = comment.createdAt;
    when.textContent = timeAgo(comment.createdAt);
    li.append(author, ' ', text, ' ', when);
    return li;
  }

  async function postComment(form) {
    const root = form.closest('[data-photo-id]');
    const input = form.querySelector('input[name="text"]');
    const error = root.querySelector('[data-comment-error]');
    const button = form.querySelector('button[type="submit"]');
    const text = input.value.trim();
    if (!text) { input.focus(); return; }
    button.disabled = true;
    try {
      const comment = await api('POST', `/api/photos/${encodeURIComponent(root.dataset.photoId)}/comments`, { text });
      root.querySelector('[data-comment-list]').append(commentItem(comment));
      root.querySelector('[data-no-comments]')?.setAttribute('hidden', '');
      const counter = root.querySelector('[data-comment-count]');
      setCount(root, '[data-comment-count]', Number(counter?.dataset.n || 0) + 1, 'comment', 'comments');
      input.value = '';
      if (error) error.hidden = true;
    } catch (e) {
      if (error) { error.textContent = e.message; error.hidden = false; } else toast(e.message);
    } finally {
      button.disabled = false;
    }
  }

  async function olderComments(button) {
    const root = button.closest('[data-photo-id]');
    const list = root.querySelector('[data-comment-list]');
    button.disabled = true;
    try {
      const page = await api('GET', `/api/photos/${encodeURIComponent(root.dataset.photoId)}/comments?cursor=${encodeURIComponent(list.dataset.next)}`);
      page.items.forEach(c => list.append(commentItem(c)));
      list.dataset.next = page.nextCursor || '';
      button.hidden = !page.nextCursor;
    } catch (e) {
      toast(e.message);
    } finally {
      button.disabled = false;
    }
  }

  function askDelete() {
    const dialog = document.querySelector('[data-delete-dialog]');
    const root = document.querySelector('.photo-view[data-photo-id]');
    dialog.addEventListener('close', async () => {
      if (dialog.returnValue !== 'delete') return;
      try {
        await api('DELETE', `/api/photos/${encodeURIComponent(root.dataset.photoId)}`);
        location.assign(me() ? `/u/${encodeURIComponent(me())}` : '/');
      } catch (e) {
        toast(e.message);
      }
    }, { once: true });
    dialog.returnValue = '';
    dialog.showModal();
  }

  document.addEventListener('click', event => {
    const target = event.target instanceof Element ? event.target : null;
    const like = target?.closest('[data-like]');
    if (like) { event.preventDefault(); if (!me()) location.assign('/signin?returnUrl=' + encodeURIComponent(location.pathname)); else toggleLike(like); return; }
    const follow = target?.closest('[data-follow]');
    if (follow) { toggleFollow(follow); return; }
    if (target?.closest('[data-delete]')) { askDelete(); return; }
    const older = target?.closest('[data-more-comments]');
    if (older) { olderComments(older); return; }
    const more = target?.closest('[data-more]');
    if (more) loadMore();
  });

  document.addEventListener('submit', event => {
    const form = event.target.closest?.('[data-comment-form]');
    if (form) { event.preventDefault(); postComment(form); }
  });

  // ---- infinite scroll: the next page by cursor, from the list's own API ----
  let loading = false;
  let observer = null;
  async function loadMore() {
    const list = document.querySelector('[data-list]');
    const button = document.querySelector('[data-more]');
    if (!list || !list.dataset.next || loading) return;
    loading = true;
    if (button) button.disabled = true;
    try {
      const page = await api('GET', `${list.dataset.source}?cursor=${encodeURIComponent(list.dataset.next)}`);
      const template = document.getElementById(list.dataset.template);
      for (const photo of page.items) {
        if (list.querySelector(`[data-photo-id="${CSS.escape(photo.id)}"]`)) continue;
        const item = template.content.firstElementChild.cloneNode(true);
        fillPhoto(item, photo);
        list.append(item);
      }
      list.dataset.next = page.nextCursor || '';
      if (button) button.hidden = !page.nextCursor;
      const end = document.querySelector('[data-end]');
      if (end) end.hidden = !!page.nextCursor;
    } catch (e) {
      toast(e.message);
    } finally {
      loading = false;
      if (button) button.disabled = false;
      // Observing again reports at once whether the button is still near the viewport (a short page).
      if (observer && button && !button.hidden) { observer.unobserve(button); observer.observe(button); }
    }
  }

  function start() {
    document.querySelectorAll('[data-status="processing"][data-photo-id]').forEach(watch);
    const more = document.querySelector('[data-more]');
    if (more && 'IntersectionObserver' in window) {
      observer = new IntersectionObserver(entries => {
        if (entries.some(e => e.isIntersecting)) loadMore();
      }, { rootMargin: '800px 0px' });
      observer.observe(more);
    }
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();

  return { api, fillPhoto, toast, csrfToken };
})();
