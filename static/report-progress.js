// Report progress: polls each unfinished report's progress URL until it is done or failed
// (bounded backoff); the status wording comes with the JSON (routes/reports/views.py:status_text).
// A static file, not an inline <script>: the Content-Security-Policy allows scripts from this
// site only ("script-src 'self'").
(() => {
  const poll = (box, delay) => {
    fetch(box.dataset.progressUrl, {headers: {Accept: "application/json"}, cache: "no-store"})
      .then((r) => r.ok ? r.json() : Promise.reject(r.status))
      .then((s) => {
        box.dataset.status = s.status;
        box.querySelector("progress").value = s.progress;
        box.querySelector(".report-status").textContent = s.status_text;
        const error = box.querySelector(".report-error");
        error.textContent = s.error || "";
        error.hidden = !s.error;
        const link = box.querySelector(".report-download");
        if (s.download_url) { link.href = s.download_url; link.hidden = false; }
        if (s.status !== "done" && s.status !== "failed") {
          setTimeout(() => poll(box, Math.min(delay * 1.5, 5000)), delay);
        }
      })
      .catch(() => setTimeout(() => poll(box, 5000), 5000));
  };
  document.querySelectorAll(".report-state").forEach((box) => {
    if (box.dataset.status !== "done" && box.dataset.status !== "failed") poll(box, 500);
  });
})();
