// weekmap's report page script. It draws the charts, whose ECharts options
// the page holds as JSON in a script element of type application/json
// with id weekmap-charts, fits their labels to the width they get (a phone, a
// desktop, an A4 page), and lists the events behind a category, a week or
// a meeting when one is clicked. Titles never pass through it: they are in
// the page as escaped HTML, and the script only hides and shows rows by
// their data- attributes. It is a file of its own, served from weekmap's
// origin, so the page's Content-Security-Policy needs no inline scripts.
"use strict";
(function () {
var charts = [];
var ruler = document.createElement("canvas").getContext("2d");

// ECharts' default text style, which labels here keep.
var font = "12px sans-serif";
var lineHeight = 14;
// maxLines bounds a meeting title's lines; ECharts ends a longer one
// with an ellipsis, so that one title cannot take the whole chart.
var maxLines = 6;

function textWidth(s) {
  ruler.font = font;
  return ruler.measureText(s).width;
}

// lines counts the lines ECharts breaks text into at width pixels: at
// spaces, and within a word longer than a line.
function lines(text, width) {
  var n = 1, used = 0, space = textWidth(" ");
  String(text).split(" ").forEach(function (word) {
    if (word === "") {
      return;
    }
    var w = textWidth(word);
    var gap = used > 0 ? space : 0;
    if (used + gap + w <= width) {
      used += gap + w;
      return;
    }
    if (used > 0) {
      n++;
    }
    while (w > width) {
      n++;
      w -= width;
    }
    used = w;
  });
  return n;
}

// layout sets what depends on the chart's width before it is drawn: the
// meeting titles' width and the rows' height, so that titles wrap instead
// of being cut, and the ring's radius, so that its labels fit beside it.
function layout(c) {
  var width = c.el.clientWidth;
  var option = c.option;
  if (c.kind === "meetings") {
    var axis = option.yAxis[0];
    var labelWidth = Math.round(Math.max(96, Math.min(320, width * 0.42)));
    var most = 1;
    axis.data.forEach(function (title) {
      most = Math.max(most, Math.min(maxLines, lines(title, labelWidth)));
    });
    axis.axisLabel.width = labelWidth;
    axis.axisLabel.height = most * lineHeight;
    axis.axisLabel.lineOverflow = "truncate";
    var row = Math.max(32, most * lineHeight + 14);
    c.el.style.height = (row * axis.data.length + 44) + "px";
  }
  if (c.kind === "breakdown") {
    var series = option.series[0];
    var widest = 0;
    series.data.forEach(function (d) {
      widest = Math.max(widest, textWidth(d.name), textWidth(d.value + " h · 100%"));
    });
    // Label line, its gap to the text and a margin on each side; the
    // chart is as tall as the ring and the labels above and below it.
    var room = widest + 8 + 6 + 5 + 8;
    var outer = Math.max(36, Math.min(130, width / 2 - room));
    series.radius = [Math.round(outer * 0.55), Math.round(outer)];
    c.el.style.height = Math.round(2 * outer + 110) + "px";
  }
}

function show(id, option) {
  var el = document.getElementById(id);
  var c = { el: el, kind: id.split("-")[1], option: option, chart: null };
  layout(c);
  c.chart = echarts.init(el);
  c.chart.setOption(option);
  c.chart.on("click", function (p) {
    var article = el.closest("article");
    switch (c.kind) {
    case "hours":
      pick(article, p.name, p.seriesName, "");
      break;
    case "share":
      pick(article, p.name, "", "");
      break;
    case "breakdown":
      pick(article, el.dataset.week, p.name, "");
      break;
    case "meetings":
      pick(article, "", "", String(p.dataIndex + 1));
      break;
    }
  });
  charts.push(c);
}

// fit redraws every chart at the width it now has, or at the width of an
// A4 page's text when printing.
function fit(printing) {
  charts.forEach(function (c) {
    c.el.style.width = printing ? "680px" : "";
    layout(c);
    c.chart.setOption(c.option);
    c.chart.resize();
  });
}

// pick shows the events of one week, one category, one meeting series or
// a combination ("" matches all), and says what is shown.
function pick(article, week, category, series) {
  var box = article && article.querySelector("[data-events]");
  if (!box) {
    return;
  }
  var shown = 0;
  box.querySelectorAll("details[data-week]").forEach(function (d) {
    var any = false;
    d.querySelectorAll("tbody tr").forEach(function (tr) {
      var ok = (!week || d.dataset.week === week) &&
        (!category || tr.dataset.category === category || (category === "off" && tr.dataset.off === "true")) &&
        (!series || tr.dataset.series === series);
      tr.hidden = !ok;
      if (ok) {
        any = true;
        shown++;
      }
    });
    d.hidden = !any;
    d.open = any;
  });
  var what = [];
  if (category) {
    what.push(category === "off" ? "time off" : category);
  }
  if (series) {
    what.push("recurring meeting " + series + " of the chart");
  }
  var text = (shown === 1 ? "1 event" : shown + " events") + (what.length ? " of " + what.join(", ") : "") +
    (week ? " in " + week : " in these weeks") + ".";
  if (box.dataset.omitted && !week) {
    text += " " + box.dataset.omitted;
  }
  box.querySelector("[data-status]").textContent = text;
  box.querySelector("[data-show-all]").hidden = false;
  box.scrollIntoView({ block: "start" });
}

// reset lists every event again, each week closed.
function reset(box) {
  box.querySelectorAll("details[data-week], tbody tr").forEach(function (el) {
    el.hidden = false;
  });
  box.querySelectorAll("details[data-week]").forEach(function (d) {
    d.open = false;
  });
  box.querySelector("[data-status]").textContent = box.dataset.intro;
  box.querySelector("[data-show-all]").hidden = true;
}

function ready() {
  document.addEventListener("click", function (ev) {
    var all = ev.target.closest("[data-show-all]");
    if (all) {
      reset(all.closest("[data-events]"));
      return;
    }
    var a = ev.target.closest("a.pick");
    var article = a && a.closest("article");
    if (!article || !article.querySelector("[data-events]")) {
      return;
    }
    ev.preventDefault();
    pick(article, a.dataset.week || "", a.dataset.category || "", "");
  });
  window.addEventListener("resize", function () {
    fit(false);
  });
  window.addEventListener("beforeprint", function () {
    fit(true);
  });
  window.addEventListener("afterprint", function () {
    fit(false);
  });
  var print = window.matchMedia("print");
  if (print.addEventListener) {
    print.addEventListener("change", function (e) {
      fit(e.matches);
    });
  }
}

var data = document.getElementById("weekmap-charts");
if (data) {
  JSON.parse(data.textContent).forEach(function (c) {
    show(c.id, c.option);
  });
}
ready();
})();
