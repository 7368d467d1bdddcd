// The chain page's register upload: POST /chains/registers with the bearer token the planner
// types (never stored), then reload the map so the counts rest on the new register.
(function () {
  "use strict";
  var form = document.getElementById("register-form");
  if (!form) return;
  var status = document.getElementById("register-status");
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    var file = document.getElementById("register-file").files[0];
    var token = document.getElementById("register-token").value.trim();
    if (!file) { status.textContent = "请选择企业名录文件（CSV 或 XLSX）。"; return; }
    var body = new FormData();
    body.append("file", file, file.name);
    status.textContent = "正在导入……";
    fetch("/chains/registers", {
      method: "POST",
      body: body,
      headers: token ? { Authorization: "Bearer " + token } : {},
    })
      .then(function (r) {
        return r.json().then(function (data) { return { ok: r.ok, code: r.status, data: data }; });
      })
      .then(function (res) {
        if (res.ok) {
          var missed = res.data.unmatched.length;
          status.textContent = "已导入 " + res.data.firms + " 家企业" +
            (missed ? "，" + missed + " 行未归入任何环节" : "") + "。正在刷新……";
          setTimeout(function () { window.location.reload(); }, 800);
        } else {
          var why = { 401: "令牌不对", 403: "服务器未开放上传（未设置令牌）", 413: "文件过大",
            415: "只接受 CSV 或 XLSX", 422: "文件内容有误" }[res.code] || "导入失败";
          status.textContent = why + "：" + (res.data.detail || "");
        }
      })
      .catch(function () { status.textContent = "无法连接服务器。"; });
  });
})();
