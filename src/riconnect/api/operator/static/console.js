// The riconnect console. Plain JavaScript, no build step, no outside network: it polls the
// operator's JSON paths next to it (../state, ../requests, ../status) and redraws when they
// change. Text from the cloud (names, descriptions) is only ever set as textContent.
"use strict";

const SVG = "http://www.w3.org/2000/svg";
// Edge colours by router-interface status (the browser test looks for the Active green).
const COLOURS = {
  Active: "#1a9c3e",
  Connecting: "#e8a317",
  AcceptingConnecting: "#e8a317",
  Activating: "#e8a317",
  Modifying: "#e8a317",
  Deactivating: "#d9731a",
  Inactive: "#8c8c8c",
  Idle: "#b9c2cc",
  Deleting: "#d0342c",
};
const LEGEND = ["Active", "Connecting", "Activating", "Deactivating", "Inactive", "Idle", "Deleting"];
const STATE_EVERY_MS = 1000;
const REQUESTS_EVERY_MS = 1500;
const STATUS_EVERY_MS = 5000;

let lastState = "";
let lastRequests = "";

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
  for (const child of children) node.append(child === undefined || child === null ? "" : String(child));
  return node;
}

function svg(tag, attrs, text) {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, String(v));
  if (text !== undefined) node.textContent = text;
  return node;
}

async function api(path, options) {
  const response = await fetch("../" + path, { cache: "no-store", ...(options || {}) });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) {
    const error = new Error(body.Message || response.statusText);
    error.code = body.Code;
    error.status = response.status;
    throw error;
  }
  return body;
}

function showProblem(error) {
  const box = document.getElementById("problem");
  if (error === null) {
    box.hidden = true;
    return;
  }
  box.hidden = false;
  box.textContent =
    error.code === "Forbidden.AdminToken"
      ? "This server asks for its admin token: open /riconnect/console/?token=YOUR_TOKEN once in this browser."
      : error.code === "Forbidden.LoopbackOnly"
        ? "This server answers its console on loopback only; start it with --admin-token to open it to others."
        : "The cloud does not answer: " + error.message;
}

function rows(tableId, items, cells, emptyText) {
  const body = document.querySelector("#" + tableId + " tbody");
  body.replaceChildren();
  if (!items.length) {
    const width = document.querySelectorAll("#" + tableId + " th").length;
    const row = el("tr", { class: "empty" });
    row.append(el("td", { colspan: width }, emptyText));
    body.append(row);
    return;
  }
  for (const item of items) {
    const row = el("tr");
    for (const cell of cells(item)) {
      if (cell instanceof Node) row.append(cell);
      else row.append(el("td", {}, cell));
    }
    body.append(row);
  }
}

function flatten(accounts) {
  const out = { regions: [], vpcs: [], vbrs: [], interfaces: [], vswitches: [], routes: [] };
  for (const account of accounts) {
    if (!account.Regions.length) out.regions.push({ account, region: null });
    for (const region of account.Regions) {
      out.regions.push({ account, region });
      const where = { account: account.AccountId, region: region.RegionId };
      for (const v of region.Vpcs) {
        out.vpcs.push({ ...where, v });
        for (const s of v.VSwitches || []) out.vswitches.push({ ...where, v: s });
        for (const t of v.RouteTables || []) {
          // Custom routes only: the system ones follow from the vSwitches.
          for (const e of t.RouteEntries || []) if (e.Type !== "System") out.routes.push({ ...where, v: e });
        }
      }
      for (const v of region.VirtualBorderRouters) out.vbrs.push({ ...where, v });
      for (const v of region.RouterInterfaces) out.interfaces.push({ ...where, v });
    }
  }
  return out;
}

function statusCell(status) {
  const td = el("td", {}, status);
  if (COLOURS[status]) td.style.color = COLOURS[status] === "#b9c2cc" ? "#6b7785" : COLOURS[status];
  return td;
}

function renderTables(accounts) {
  const flat = flatten(accounts);
  rows(
    "accounts",
    flat.regions,
    ({ account, region }) => [
      el("td", { class: "mono" }, account.AccountId),
      account.Name || (account.Known ? "" : "(not in this server's accounts)"),
      region ? region.RegionId : "—",
      region ? region.Vpcs.length : 0,
      region ? region.VirtualBorderRouters.length : 0,
      region ? region.RouterInterfaces.length : 0,
      region ? region.PhysicalConnections.length : 0,
    ],
    "No accounts.",
  );
  rows(
    "vpcs",
    flat.vpcs,
    ({ account, region, v }) => [account, region, el("td", { class: "mono" }, v.VpcId), v.VpcName, v.CidrBlock, el("td", { class: "mono" }, v.VRouterId), v.Status],
    "No VPCs.",
  );
  rows(
    "vswitches",
    flat.vswitches,
    ({ account, region, v }) => [account, region, el("td", { class: "mono" }, v.VSwitchId), el("td", { class: "mono" }, v.VpcId), v.VSwitchName, v.ZoneId, v.CidrBlock, v.Status],
    "No vSwitches.",
  );
  rows(
    "routes",
    flat.routes,
    ({ account, region, v }) => {
      const hop = v.NextHops.NextHop[0];
      return [account, region, el("td", { class: "mono" }, v.RouteTableId), v.DestinationCidrBlock, hop.NextHopType, el("td", { class: "mono" }, hop.NextHopId), hop.Enabled ? "yes" : "no", statusCell(v.Status)];
    },
    "No custom route entries.",
  );
  rows(
    "vbrs",
    flat.vbrs,
    ({ account, region, v }) => [account, region, el("td", { class: "mono" }, v.VbrId), v.Name, v.VlanId, v.AccessPointId, v.Status],
    "No virtual border routers.",
  );
  rows(
    "interfaces",
    flat.interfaces,
    ({ account, region, v }) => [
      account,
      region,
      el("td", { class: "mono" }, v.RouterInterfaceId),
      v.Role,
      v.Spec,
      el("td", { class: "mono" }, v.RouterId),
      el("td", { class: "mono" }, v.OppositeInterfaceId ? `${v.OppositeInterfaceId} (${v.OppositeInterfaceOwnerId || "?"}, ${v.OppositeRegionId})` : ""),
      v.OppositeInterfaceStatus,
      statusCell(v.Status),
    ],
    "No router interfaces.",
  );
}

// -- the topology picture ---------------------------------------------------------------------

const CLUSTER_W = 300;
const NODE_H = 46;
const NODE_GAP = 12;
const HEAD = 30;
const GAP_X = 300;
const GAP_Y = 40;
const MARGIN = 20;

function graph(accounts) {
  const clusters = [];
  const nodes = new Map(); // router id -> node
  for (const account of accounts) {
    for (const region of account.Regions) {
      const cluster = { account: account.AccountId, name: account.Name, region: region.RegionId, nodes: [] };
      for (const v of region.Vpcs) {
        const node = { id: v.VRouterId, kind: "vpc", title: v.VpcName || v.VpcId, sub: `${v.VpcId} · ${v.CidrBlock}`, status: v.Status, cluster };
        cluster.nodes.push(node);
        nodes.set(v.VRouterId, node);
      }
      for (const v of region.VirtualBorderRouters) {
        const node = { id: v.VbrId, kind: "vbr", title: v.Name || v.VbrId, sub: `${v.VbrId} · VLAN ${v.VlanId}`, status: v.Status, cluster };
        cluster.nodes.push(node);
        nodes.set(v.VbrId, node);
      }
      if (cluster.nodes.length) clusters.push(cluster);
    }
  }
  const edges = new Map();
  for (const account of accounts) {
    for (const region of account.Regions) {
      for (const ri of region.RouterInterfaces) {
        const from = nodes.get(ri.RouterId);
        const to = nodes.get(ri.OppositeRouterId);
        if (!from || !to || !ri.OppositeInterfaceId) continue;
        const key = [ri.RouterInterfaceId, ri.OppositeInterfaceId].sort().join("|");
        let edge = edges.get(key);
        if (!edge) {
          edge = {
            key,
            a: from,
            b: to,
            statuses: {},
            crossAccount: from.cluster.account !== to.cluster.account,
            crossRegion: from.cluster.region !== to.cluster.region,
            spec: "",
          };
          edges.set(key, edge);
        }
        edge.statuses[ri.Role] = ri.Status;
        if (ri.Role === "InitiatingSide") edge.spec = ri.Spec;
      }
    }
  }
  for (const edge of edges.values()) {
    edge.status = edge.statuses.InitiatingSide || edge.statuses.AcceptingSide || "Idle";
  }
  return { clusters, edges: [...edges.values()] };
}

function layout(clusters) {
  const regions = [...new Set(clusters.map((c) => c.region))].sort();
  const accounts = [...new Set(clusters.map((c) => c.account))].sort();
  const heights = accounts.map((a) =>
    Math.max(0, ...clusters.filter((c) => c.account === a).map((c) => HEAD + c.nodes.length * (NODE_H + NODE_GAP) + NODE_GAP)),
  );
  for (const c of clusters) {
    const row = accounts.indexOf(c.account);
    c.x = MARGIN + regions.indexOf(c.region) * (CLUSTER_W + GAP_X);
    c.y = MARGIN + heights.slice(0, row).reduce((s, h) => s + h + GAP_Y, 0);
    c.w = CLUSTER_W;
    c.h = HEAD + c.nodes.length * (NODE_H + NODE_GAP) + NODE_GAP;
    c.nodes.forEach((n, i) => {
      n.x = c.x + 14;
      n.y = c.y + HEAD + NODE_GAP / 2 + i * (NODE_H + NODE_GAP);
      n.w = CLUSTER_W - 28;
      n.h = NODE_H;
    });
  }
  return {
    width: MARGIN * 2 + Math.max(1, regions.length) * (CLUSTER_W + GAP_X),
    height: MARGIN * 2 + heights.reduce((s, h) => s + h + GAP_Y, 0),
  };
}

function edgePath(edge, order) {
  const a = edge.a;
  const b = edge.b;
  const ay = a.y + a.h / 2;
  const by = b.y + b.h / 2;
  let x1, x2, c1, c2;
  if (Math.abs(a.x - b.x) < 1) {
    // Same column: loop out to the right, into the gap between columns; the label beside it.
    x1 = a.x + a.w;
    x2 = b.x + b.w;
    const bulge = 70 + 45 * order; // each further loop of a cluster goes wider
    c1 = x1 + bulge;
    c2 = x2 + bulge;
    return {
      d: `M ${x1} ${ay} C ${c1} ${ay}, ${c2} ${by}, ${x2} ${by}`,
      mid: { x: x1 + 0.75 * bulge + 8, y: (ay + by) / 2 + 4 },
      anchor: "start",
    };
  } else if (a.x < b.x) {
    x1 = a.x + a.w;
    x2 = b.x;
    c1 = x1 + (x2 - x1) / 2;
    c2 = c1;
  } else {
    x1 = a.x;
    x2 = b.x + b.w;
    c1 = x1 - (x1 - x2) / 2;
    c2 = c1;
  }
  const mid = { x: (x1 + 3 * c1 + 3 * c2 + x2) / 8, y: (ay + by) / 2 };
  // Labels of several pairs between the same two clusters are stacked, not overlaid.
  return { d: `M ${x1} ${ay} C ${c1} ${ay}, ${c2} ${by}, ${x2} ${by}`, mid: { x: mid.x, y: mid.y - 8 + 14 * order }, anchor: "middle" };
}

function renderTopology(accounts) {
  const picture = document.getElementById("topology");
  picture.replaceChildren();
  const { clusters, edges } = graph(accounts);
  const size = layout(clusters);
  picture.setAttribute("width", Math.max(600, size.width));
  picture.setAttribute("height", Math.max(120, size.height));
  if (!clusters.length) {
    picture.append(svg("text", { x: MARGIN, y: 60, fill: "#6b7785" }, "No networks yet: create a VPC or a VBR."));
    return;
  }
  for (const c of clusters) {
    const g = svg("g", { class: "cluster" });
    g.append(svg("rect", { x: c.x, y: c.y, width: c.w, height: c.h, rx: 8, fill: "#f6f8fa", stroke: "#d8dee6" }));
    g.append(svg("text", { x: c.x + 10, y: c.y + 19, "font-size": 12, "font-weight": 600, fill: "#1d2733" }, `${c.name || c.account} · ${c.region}`));
    picture.append(g);
  }
  const orders = new Map(); // cluster or cluster pair -> edges drawn so far
  for (const edge of edges) {
    const clustersKey = [edge.a.cluster, edge.b.cluster].map((c) => c.account + "/" + c.region).sort().join("|");
    const order = orders.get(clustersKey) || 0;
    orders.set(clustersKey, order + 1);
    const { d, mid, anchor } = edgePath(edge, order);
    const colour = COLOURS[edge.status] || "#8c8c8c";
    const attrs = { d, fill: "none", stroke: colour, "stroke-width": 5, "stroke-linecap": "round", "data-status": edge.status, "data-pair": edge.key };
    if (edge.crossAccount) attrs["stroke-dasharray"] = "14 8";
    if (edge.status === "Idle") attrs["stroke-dasharray"] = "3 7";
    const path = svg("path", attrs);
    path.append(svg("title", {}, `${edge.key.replace("|", " ⇄ ")}: ${edge.status}`));
    picture.append(path);
    const marks = [edge.status, edge.spec, edge.crossAccount ? "cross-account" : "", edge.crossRegion ? "cross-region" : ""].filter(Boolean);
    // A white halo keeps the label readable where it crosses its edge.
    const label = svg(
      "text",
      { x: mid.x, y: mid.y, "font-size": 11, "text-anchor": anchor, fill: "#1d2733", stroke: "#ffffff", "stroke-width": 4, "paint-order": "stroke", class: "edge-label" },
      marks.join(" · "),
    );
    picture.append(label);
  }
  for (const c of clusters) {
    for (const n of c.nodes) {
      const g = svg("g", { class: "node", "data-id": n.id });
      const border = n.kind === "vpc" ? "#2f6fd6" : "#7a4fd0";
      g.append(svg("rect", { x: n.x, y: n.y, width: n.w, height: n.h, rx: 6, fill: "#ffffff", stroke: border, "stroke-width": 2 }));
      g.append(svg("text", { x: n.x + 10, y: n.y + 18, "font-size": 13, "font-weight": 600, fill: "#1d2733" }, n.title.length > 26 ? n.title.slice(0, 25) + "…" : n.title));
      g.append(svg("text", { x: n.x + 10, y: n.y + 35, "font-size": 11, fill: "#6b7785" }, n.sub));
      g.append(svg("text", { x: n.x + n.w - 8, y: n.y + 18, "font-size": 10, "text-anchor": "end", fill: "#6b7785" }, n.kind.toUpperCase() + " " + n.status));
      picture.append(g);
    }
  }
}

function renderLegend() {
  const legend = document.getElementById("legend");
  for (const status of LEGEND) {
    const swatch = el("i");
    swatch.style.background = COLOURS[status];
    const item = el("span");
    item.append(swatch, status);
    legend.append(item);
  }
  legend.append(el("span", {}, "— dashed: cross-account"));
}

// -- polling ------------------------------------------------------------------------------------

function live() {
  return document.getElementById("live").checked;
}

async function refreshState(force) {
  if (!force && !live()) return;
  try {
    const state = await api("state");
    const text = JSON.stringify(state.Accounts);
    if (text !== lastState) {
      lastState = text;
      renderTables(state.Accounts);
      renderTopology(state.Accounts);
    }
    document.getElementById("updated").textContent = "as of " + state.Time;
    document.body.dataset.stateTime = state.Time;
    showProblem(null);
  } catch (error) {
    showProblem(error);
  }
}

async function refreshRequests(force) {
  if (!force && !live()) return;
  try {
    const answer = await api("requests?limit=50");
    const text = JSON.stringify(answer.Requests);
    if (text === lastRequests) return;
    lastRequests = text;
    rows(
      "requests",
      answer.Requests,
      (r) => {
        const cells = [
          r.Time,
          r.Action,
          r.AccountId,
          r.RegionId,
          idsCell(r.ResourceIds),
          r.Status,
          r.Code,
          r.DurationMs.toFixed(1),
          el("td", { class: "mono" }, r.RequestId),
        ];
        return cells;
      },
      "No requests yet.",
    );
  } catch (error) {
    showProblem(error);
  }
}

function idsCell(ids) {
  const td = el("td", { class: "ids" });
  for (const id of ids) td.append(el("span", {}, id), " ");
  return td;
}

async function refreshStatus() {
  try {
    const s = await api("status");
    const up = Math.round(s.UptimeSeconds);
    document.getElementById("status").textContent =
      `riconnect ${s.Version} · ${s.Store.Kind} · schema ${s.SchemaRevision} · up ${up} s · process ${s.Process}`;
  } catch (error) {
    showProblem(error);
  }
}

async function reset() {
  if (!window.confirm("Empty the whole cloud? Accounts and their physical connections stay.")) return;
  try {
    await api("reset", { method: "POST" });
    await refreshState(true);
    await refreshRequests(true);
  } catch (error) {
    showProblem(error);
  }
}

document.addEventListener("DOMContentLoaded", () => {
  renderLegend();
  document.getElementById("reset").addEventListener("click", reset);
  refreshStatus();
  refreshState(true);
  refreshRequests(true);
  setInterval(refreshState, STATE_EVERY_MS);
  setInterval(refreshRequests, REQUESTS_EVERY_MS);
  setInterval(refreshStatus, STATUS_EVERY_MS);
});
