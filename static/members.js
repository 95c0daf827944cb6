// Sorting and filtering for the members table (templates/partials/members.html).
//
// The table is complete without this script. It adds a sort button to each column header
// (the sorted header gets aria-sort), and above the table a form to filter the rows by name
// and by status, with a polite status line: "12 of 193 countries shown".
//
// Sort keys are the table's machine-readable values: a status cell's data-sort (its stage's
// order) and a date cell's <time datetime> (2020-09-15, or 2020-09 or 2020 when only that is
// known). Empty cells go last in either direction, and equal keys keep the table's own order.
(function () {
  "use strict";

  var collator = new Intl.Collator(document.documentElement.lang || undefined, {
    sensitivity: "base",
    numeric: true,
  });

  // Lower case without accents: "cote" finds Côte d'Ivoire.
  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().trim();
  }

  function element(name, attributes, text) {
    var el = document.createElement(name);
    Object.keys(attributes || {}).forEach(function (key) {
      el.setAttribute(key, attributes[key]);
    });
    if (text) {
      el.textContent = text;
    }
    return el;
  }

  // A row's name without its flag (an emoji flag would sort by country code).
  function name(row) {
    var cell = row.cells[0];
    var flag = cell.querySelector(".flag");
    var text = cell.textContent;
    return (flag ? text.replace(flag.textContent, "") : text).trim();
  }

  // The sort key of a row for the column at `index`, or null for an empty cell.
  function key(row, index, type) {
    var cell = row.cells[index];
    if (type === "name") {
      return row.getAttribute("data-name");
    }
    if (type === "status") {
      return Number(cell.getAttribute("data-sort"));
    }
    var time = cell.querySelector("time");
    return time ? time.getAttribute("datetime") : null;
  }

  function compare(a, b, type) {
    if (type === "name") {
      return collator.compare(a, b);
    }
    return a < b ? -1 : a > b ? 1 : 0;
  }

  function enhance(table, number) {
    var body = table.tBodies[0];
    var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
    var rows = Array.prototype.slice.call(body.rows);
    var noun = table.getAttribute("data-noun") || "rows";
    var id = table.id || "members-" + number;
    var sorted = null;
    var ascending = true;

    rows.forEach(function (row, i) {
      row.setAttribute("data-index", i);
      row.setAttribute("data-name", name(row));
    });

    // --- The filter form, before the table's scrolling box.
    var form = element("form", { class: "members-filter", "aria-label": "Filter the table" });
    var nameField = element("div", { class: "filter-field" });
    var nameInput = element("input", { type: "search", id: id + "-name", autocomplete: "off" });
    nameField.append(element("label", { for: id + "-name" }, "Name"), nameInput);

    var statusField = element("div", { class: "filter-field" });
    var select = element("select", { id: id + "-status" });
    select.append(element("option", { value: "" }, "Any status"));
    var statuses = {};
    rows.forEach(function (row) {
      var stage = row.cells[1].querySelector(".stage");
      var status = (stage.className.match(/\bstage-([a-z-]+)/) || [])[1];
      if (status && !statuses[status]) {
        statuses[status] = { name: stage.textContent, order: key(row, 1, "status") };
      }
      row.setAttribute("data-status", status);
    });
    Object.keys(statuses)
      .sort(function (a, b) {
        return statuses[a].order - statuses[b].order;
      })
      .forEach(function (status) {
        select.append(element("option", { value: status }, statuses[status].name));
      });
    statusField.append(element("label", { for: id + "-status" }, "Status"), select);

    var count = element("p", { class: "filter-count", role: "status" });
    form.append(nameField, statusField, count);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
    });

    var shownText = "";

    function filter() {
      var wanted = fold(nameInput.value);
      var status = select.value;
      var shown = 0;
      rows.forEach(function (row) {
        var show =
          (!wanted || fold(row.getAttribute("data-name")).indexOf(wanted) !== -1) &&
          (!status || row.getAttribute("data-status") === status);
        row.hidden = !show;
        if (show) {
          shown += 1;
        }
      });
      shownText = shown + " of " + rows.length + " " + noun + " shown";
      count.textContent = shownText + ".";
    }
    nameInput.addEventListener("input", filter);
    select.addEventListener("change", filter);

    var wrap = table.closest(".table-wrap") || table;
    wrap.parentNode.insertBefore(form, wrap);
    filter();

    // --- Sort buttons in the column headers.
    function sort(index) {
      var type = headers[index].getAttribute("data-type");
      ascending = sorted === index ? !ascending : true;
      sorted = index;
      var keyed = rows.map(function (row) {
        return { row: row, key: key(row, index, type), index: Number(row.getAttribute("data-index")) };
      });
      keyed.sort(function (a, b) {
        if (a.key === null || b.key === null) {
          return a.key === b.key ? a.index - b.index : a.key === null ? 1 : -1;
        }
        var order = compare(a.key, b.key, type);
        return (ascending ? order : -order) || a.index - b.index;
      });
      var fragment = document.createDocumentFragment();
      keyed.forEach(function (item) {
        fragment.appendChild(item.row);
      });
      body.appendChild(fragment);
      headers.forEach(function (th, i) {
        if (i === index) {
          th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        } else {
          th.removeAttribute("aria-sort");
        }
      });
      var label = headers[index].textContent.trim();
      count.textContent = "Sorted by " + label + ", " + (ascending ? "ascending" : "descending") + ". " + shownText + ".";
    }

    headers.forEach(function (th, index) {
      if (!th.hasAttribute("data-type")) {
        return;
      }
      var button = element("button", { type: "button", class: "sort-button" });
      while (th.firstChild) {
        button.appendChild(th.firstChild);
      }
      button.appendChild(element("span", { class: "sort-icon", "aria-hidden": "true" }));
      button.addEventListener("click", function () {
        sort(index);
      });
      th.appendChild(button);
    });

    table.classList.add("is-sortable");
  }

  Array.prototype.forEach.call(document.querySelectorAll("table.members"), function (table, i) {
    if (!table.classList.contains("is-sortable") && table.tHead && table.tBodies[0]) {
      enhance(table, i);
    }
  });
})();
