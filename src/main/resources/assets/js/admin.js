// Admin editor helpers: live Markdown preview (rendered and sanitized by the server, as
// on save), a slug availability check while typing, confirmation before deleting,
// drafts of the editor forms kept in the tab until their save is confirmed, and each
// form sent once however often its button is clicked.
(function () {
    'use strict';

    function debounce(fn, millis) {
        let timer;
        return function () {
            clearTimeout(timer);
            timer = setTimeout(fn, millis);
        };
    }

    function csrfOf(form) {
        const input = form.querySelector('input[name="_csrf"]');
        return input ? input.value : '';
    }

    document.querySelectorAll('textarea[data-preview]').forEach(function (textarea) {
        const target = document.getElementById(textarea.dataset.preview);
        const form = textarea.form;
        const refresh = function () {
            const body = new URLSearchParams({ markdown: textarea.value, _csrf: csrfOf(form) });
            fetch('/admin/preview', { method: 'POST', body: body, credentials: 'same-origin' })
                // 422: the text cannot be shown, and the server's message says why
                .then(function (response) { return (response.ok || response.status === 422) ? response.text() : Promise.reject(response.status); })
                .then(function (html) { target.innerHTML = html; })
                .catch(function () { target.textContent = 'Preview unavailable.'; });
        };
        textarea.addEventListener('input', debounce(refresh, 300));
        refresh();
    });

    document.querySelectorAll('input[data-slug-check]').forEach(function (input) {
        const status = document.getElementById(input.getAttribute('aria-describedby'));
        const check = function () {
            if (input.value === '') {
                status.textContent = 'Made from the title when saved.';
                return;
            }
            fetch(input.dataset.slugCheck + '&slug=' + encodeURIComponent(input.value), { credentials: 'same-origin' })
                .then(function (response) { return response.json(); })
                .then(function (result) {
                    status.textContent = result.message;
                    status.className = result.available ? 'hint' : 'hint error-text';
                });
        };
        input.addEventListener('input', debounce(check, 300));
    });

    // What the owner types in an editor form is kept in this tab (sessionStorage: gone
    // with the tab, never sent anywhere) until a page says that form was saved. A save
    // that fails on the way (the session ended, the body was over the limit, the
    // connection dropped) then loses nothing: the form offers the text back.
    document.querySelectorAll('form[data-draft]').forEach(function (form) {
        const prefix = 'vitrine.draft:';
        const key = prefix + form.dataset.draft;
        if (form.dataset.draftSaved) {
            sessionStorage.removeItem(prefix + form.dataset.draftSaved);
        }
        // whether any field both hold has another value in the first
        const differs = function (values, other) {
            return Object.keys(values).some(function (name) {
                return name in other && values[name] !== other[name];
            });
        };
        const fields = Array.from(form.elements).filter(function (field) {
            return field.name && field.name !== '_csrf' && field.type !== 'hidden'
                && ['TEXTAREA', 'INPUT'].includes(field.tagName) && field.type !== 'file';
        });
        // the version the text is typed over, sent with it: a draft put back over a
        // newer save is then refused with 409, as a stale form is, not saved over it
        const version = form.elements.namedItem('version');
        const valuesOf = function () {
            const values = {};
            fields.forEach(function (field) {
                values[field.name] = (field.type === 'checkbox') ? field.checked : field.value;
            });
            return values;
        };
        const shown = valuesOf();
        // a page that shows text no save holds (an edit of an entry deleted meanwhile)
        const unsaved = 'draftUnsaved' in form.dataset;
        let typed = false;
        let offerOpen = false;
        const keep = function () {
            const values = valuesOf();
            try {
                if (unsaved || differs(values, shown)) {
                    sessionStorage.setItem(key, JSON.stringify({
                        at: Date.now(), version: version ? version.value : null, values: values
                    }));
                } else if (typed && !offerOpen) {
                    // typed back to what the page shows: nothing left to keep
                    sessionStorage.removeItem(key);
                }
                // an untouched form keeps nothing and leaves an earlier draft alone; a
                // page showing a refused save's text (422, 409) has it from the submit
            } catch (e) {
                // storage full or off: the form works as before, without a draft
            }
        };
        let draft = null;
        try {
            draft = JSON.parse(sessionStorage.getItem(key));
        } catch (e) {
            draft = null;
        }
        if (unsaved) {
            keep();
        } else if (draft && draft.values && differs(draft.values, shown)) {
            offerOpen = true;
            const offer = document.createElement('div');
            offer.className = 'notice';
            offer.id = 'draft-offer';
            offer.setAttribute('role', 'status');
            const text = document.createElement('p');
            const moved = version && draft.version && draft.version !== version.value;
            text.textContent = 'This tab kept what you typed in this form at '
                + new Date(draft.at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })
                + ', which this page does not show: it was not saved'
                + (moved ? ', and this was saved elsewhere since (version ' + draft.version + ' then, '
                    + version.value + ' now): saving it back shows both first.' : ', or was saved over since.');
            const restore = document.createElement('button');
            restore.type = 'button';
            restore.id = 'draft-restore';
            restore.textContent = 'Put it back';
            const discard = document.createElement('button');
            discard.type = 'button';
            discard.id = 'draft-discard';
            discard.textContent = 'Discard it';
            offer.append(text, restore, ' ', discard);
            form.before(offer);
            restore.addEventListener('click', function () {
                offerOpen = false;
                offer.remove();
                if (version && draft.version) {
                    version.value = draft.version;
                }
                fields.forEach(function (field) {
                    if (field.name in draft.values) {
                        if (field.type === 'checkbox') {
                            field.checked = draft.values[field.name];
                        } else {
                            field.value = draft.values[field.name];
                        }
                        // the preview and the slug check follow
                        field.dispatchEvent(new Event('input', { bubbles: true }));
                    }
                });
            });
            discard.addEventListener('click', function () {
                offerOpen = false;
                offer.remove();
                sessionStorage.removeItem(key);
            });
        }
        const keepSoon = debounce(keep, 400);
        form.addEventListener('input', function () {
            typed = true;
            keepSoon();
        });
        form.addEventListener('change', keep);
        form.addEventListener('submit', keep);
        // leaving within the debounce's wait keeps the last keys too
        window.addEventListener('pagehide', keep);
    });

    document.querySelectorAll('form[data-confirm]').forEach(function (form) {
        form.addEventListener('submit', function (event) {
            if (!window.confirm(form.dataset.confirm)) {
                event.preventDefault();
            }
        });
    });

    // A form is sent once: a double click on Save would send it twice, and the page
    // shown is the second one's answer, which says nothing was saved (the first took
    // the slug, or moved the version) though the first save went through. Its buttons
    // wait, disabled, for the page the first send leads to; listened to on the document,
    // after the form's own listeners, so a send cancelled (a confirmation declined) is
    // not counted.
    document.addEventListener('submit', function (event) {
        const form = event.target;
        if (event.defaultPrevented || !(form instanceof HTMLFormElement) || form.method !== 'post') {
            return;
        }
        if (form.dataset.sending) {
            event.preventDefault();
            return;
        }
        form.dataset.sending = 'true';
        form.setAttribute('aria-busy', 'true');
        // after this event: the submission is under way with the form as it was
        setTimeout(function () {
            setButtons(form, true);
        }, 0);
        // no page after a long while (Stop pressed, a stalled network): usable again,
        // rather than stuck until a reload
        releases.set(form, setTimeout(function () {
            ready(form);
        }, 15000));
    });
    // each form's pending release, cancelled when the form is ready again by other means
    // (Back), so that an old send's timer cannot end a later send's wait
    const releases = new WeakMap();
    function setButtons(form, disabled) {
        form.querySelectorAll('button[type="submit"], button:not([type])').forEach(function (button) {
            button.disabled = disabled;
        });
    }
    function ready(form) {
        clearTimeout(releases.get(form));
        releases.delete(form);
        delete form.dataset.sending;
        form.removeAttribute('aria-busy');
        setButtons(form, false);
    }
    // Sign-in: the email typed comes back after a wrong password, whose answer is a
    // redirect that carries nothing of what was typed; kept in the tab alone, and only
    // until the next sign-in page.
    const signIn = document.querySelector('form[action="/login"]');
    if (signIn) {
        const email = signIn.querySelector('#username');
        try {
            const typed = sessionStorage.getItem('vitrine.sign-in');
            sessionStorage.removeItem('vitrine.sign-in');
            if (typed && !email.value && new URLSearchParams(window.location.search).has('error')) {
                email.value = typed;
                signIn.querySelector('#password').focus();
            }
            signIn.addEventListener('submit', function () {
                sessionStorage.setItem('vitrine.sign-in', email.value);
            });
        } catch (e) {
            // storage off: the email is typed again, as before
        }
    }

    // back to a page kept in the browser's cache (the Back button): its forms work again
    window.addEventListener('pageshow', function (event) {
        if (!event.persisted) {
            return;
        }
        document.querySelectorAll('form[data-sending]').forEach(ready);
    });
})();
