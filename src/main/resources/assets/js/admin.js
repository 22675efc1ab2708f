// Admin editor helpers: live Markdown preview (rendered and sanitized by the server, as
// on save), a slug availability check while typing, and confirmation before deleting.
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

    document.querySelectorAll('form[data-confirm]').forEach(function (form) {
        form.addEventListener('submit', function (event) {
            if (!window.confirm(form.dataset.confirm)) {
                event.preventDefault();
            }
        });
    });
})();
