// Draws the operations of the generated OpenAPI document (/api/v1/openapi.json) as a list:
// method, path, summary, parameters, request body and responses. Our own few lines instead of a
// docs UI loaded from a CDN. Text is inserted with textContent only (never as HTML).
(function () {
  "use strict";
  var root = document.getElementById("api-operations");
  if (!root) return;

  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (cls) node.className = cls;
    return node;
  }

  function resolve(spec, schema) {
    var seen = 0;
    while (schema && schema.$ref && seen < 10) {
      var parts = schema.$ref.replace(/^#\//, "").split("/");
      schema = parts.reduce(function (obj, key) { return obj ? obj[key] : undefined; }, spec);
      seen += 1;
    }
    return schema || {};
  }

  function describe(spec, schema) {
    schema = resolve(spec, schema);
    if (schema.type === "array") return "array of " + describe(spec, schema.items);
    if (schema.properties) {
      var required = schema.required || [];
      return "{ " + Object.keys(schema.properties).map(function (name) {
        var prop = resolve(spec, schema.properties[name]);
        var type = prop.type === "array" ? "array" : (prop.format || prop.type || "object");
        return name + (required.indexOf(name) >= 0 ? "*" : "") + ": " + type;
      }).join(", ") + " }";
    }
    return schema.format || schema.type || "any";
  }

  function operation(spec, path, method, op) {
    var card = el("section", null, "card api-operation");
    var title = el("h3");
    title.appendChild(el("code", method.toUpperCase() + " " + path));
    card.appendChild(title);
    if (op.summary) card.appendChild(el("p", op.summary));
    var params = (op.parameters || []).map(function (p) { return resolve(spec, p); });
    if (params.length) {
      card.appendChild(el("h4", "Parameters"));
      var list = el("ul");
      params.forEach(function (p) {
        list.appendChild(el("li", p.name + " (" + p.in + (p.required ? ", required" : "") + "): " +
          describe(spec, p.schema) + (p.description ? " · " + p.description : "")));
      });
      card.appendChild(list);
    }
    var body = op.requestBody && op.requestBody.content;
    if (body) {
      card.appendChild(el("h4", "Body"));
      Object.keys(body).forEach(function (type) {
        card.appendChild(el("p", type + ": " + describe(spec, body[type].schema), "api-schema"));
      });
    }
    card.appendChild(el("h4", "Responses"));
    var responses = el("ul");
    Object.keys(op.responses || {}).forEach(function (status) {
      var response = resolve(spec, op.responses[status]);
      var content = response.content || {};
      var types = Object.keys(content).map(function (type) {
        return type + " " + describe(spec, content[type].schema);
      });
      responses.appendChild(el("li", status + ": " + (response.description || "") +
        (types.length ? " · " + types.join("; ") : "")));
    });
    card.appendChild(responses);
    return card;
  }

  fetch(root.getAttribute("data-spec-url"), { headers: { Accept: "application/json" } })
    .then(function (response) { return response.json(); })
    .then(function (spec) {
      root.textContent = "";
      (spec.tags || []).forEach(function (tag) {
        root.appendChild(el("h2", tag.description || tag.name));
        Object.keys(spec.paths).forEach(function (path) {
          Object.keys(spec.paths[path]).forEach(function (method) {
            var op = spec.paths[path][method];
            if (op && (op.tags || []).indexOf(tag.name) >= 0) {
              root.appendChild(operation(spec, path, method, op));
            }
          });
        });
      });
    })
    .catch(function () {
      root.textContent = "The API document could not be loaded.";
    });
})();
