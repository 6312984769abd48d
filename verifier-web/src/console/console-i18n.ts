/**
 * The console's own words in the page's two languages; the order view's words (verdict, timeline,
 * checks) are the verifier page's, from ../i18n.
 */
import type { Lang } from '../i18n';

export type FunnelStage = 'created' | 'paid' | 'packed' | 'shipped' | 'delivered' | 'received' | 'cancelled' | 'returned' | 'refunded';

export interface ConsoleMessages {
  htmlTitle: string;
  productName: string;
  footer: string;

  keyHeading: string;
  keyIntro: string;
  keyLabel: string;
  keyHint: string;
  keyButton: string;
  keyRefused: string;
  keyMissingRole: string;
  signOut: string;

  rangeHeading: string;
  fromLabel: string;
  toLabel: string;
  tzLabel: (tz: string) => string;
  update: string;
  loading: string;
  loadFailed: (detail: string) => string;

  figuresHeading: string;
  ordersInRange: string;
  medianPaidToDelivered: string;
  p95PaidToDelivered: string;
  basedOn: (orders: number) => string;
  onTimeShare: string;
  onTimeOf: (onTime: number, promised: number) => string;
  onTimeHint: string;
  anchoringLag: string;
  anchoringUpToDate: string;
  walletBalance: string;
  walletLow: string;
  anchoringOff: string;
  flaggedOrders: string;
  notAvailable: string;

  ordersPerDayHeading: string;
  ordersAxis: string;
  funnelHeading: string;
  stage: Record<FunnelStage, string>;
  stageLabel: string;
  ordersLabel: string;

  flagsHeading: string;
  flagsNone: string;
  flagsUnavailable: string;
  severity: (severity: string) => string;

  searchHeading: string;
  referenceLabel: string;
  stateLabel: string;
  anyState: string;
  search: string;
  referenceColumn: string;
  stateColumn: string;
  createdColumn: string;
  noOrders: string;
  more: string;

  orderHeading: (reference: string) => string;
  backToList: string;
  bundleFailed: (detail: string) => string;
}

const en: ConsoleMessages = {
  htmlTitle: 'Brand console · ordertrace',
  productName: 'ordertrace console',
  footer:
    'Figures come from the ordertrace API with your key, which this page keeps in memory only. Orders are verified in your browser against the chain.',

  keyHeading: 'Open the console',
  keyIntro: "Enter an API key of your brand with the role brand:read. It stays in this tab's memory: reloading the page forgets it.",
  keyLabel: 'API key',
  keyHint: 'Sent with each request as an Authorization header; never stored.',
  keyButton: 'Open',
  keyRefused: 'This key was refused. Check that it is complete and not revoked or expired.',
  keyMissingRole: 'This key may not read the brand’s orders: it needs the role brand:read.',
  signOut: 'Forget key',

  rangeHeading: 'Period',
  fromLabel: 'From',
  toLabel: 'To',
  tzLabel: (tz) => `Days counted in ${tz}`,
  update: 'Show',
  loading: 'Loading…',
  loadFailed: (detail) => `The figures could not be loaded: ${detail}`,

  figuresHeading: 'Figures',
  ordersInRange: 'Orders created',
  medianPaidToDelivered: 'Paid → delivered, median',
  p95PaidToDelivered: 'Paid → delivered, 95th percentile',
  basedOn: (n) => `over ${n} delivered ${n === 1 ? 'order' : 'orders'}`,
  onTimeShare: 'Delivered on time',
  onTimeOf: (onTime, promised) => `${onTime} of ${promised} with a promised date`,
  onTimeHint: 'Against data.promisedDelivery (YYYY-MM-DD) of the created event.',
  anchoringLag: 'Anchoring lag',
  anchoringUpToDate: 'every event anchored',
  walletBalance: 'Anchoring wallet',
  walletLow: 'running low',
  anchoringOff: 'anchoring is off',
  flaggedOrders: 'Flagged orders',
  notAvailable: '—',

  ordersPerDayHeading: 'Orders per day',
  ordersAxis: 'orders',
  funnelHeading: 'Lifecycle funnel',
  stage: {
    created: 'Created',
    paid: 'Paid',
    packed: 'Packed',
    shipped: 'Shipped',
    delivered: 'Delivered',
    received: 'Receipt confirmed',
    cancelled: 'Cancelled',
    returned: 'Returned',
    refunded: 'Refunded',
  },
  stageLabel: 'Stage',
  ordersLabel: 'Orders',

  flagsHeading: 'Flagged orders',
  flagsNone: 'No order is flagged.',
  flagsUnavailable: 'Flags are not available from this service.',
  severity: (s) => ({ high: 'high', medium: 'medium', low: 'low' })[s] ?? s,

  searchHeading: 'Orders',
  referenceLabel: 'Reference starts with',
  stateLabel: 'State',
  anyState: 'Any',
  search: 'Search',
  referenceColumn: 'Reference',
  stateColumn: 'State',
  createdColumn: 'Created',
  noOrders: 'No order matches.',
  more: 'More',

  orderHeading: (reference) => `Order ${reference}`,
  backToList: '← Back to the console',
  bundleFailed: (detail) => `The order's proof bundle could not be loaded: ${detail}`,
};

const zhCN: ConsoleMessages = {
  htmlTitle: '品牌控制台 · ordertrace',
  productName: 'ordertrace 控制台',
  footer: '数据来自 ordertrace API，使用您的密钥；密钥只保存在本页内存中。订单在您的浏览器中对照区块链校验。',

  keyHeading: '打开控制台',
  keyIntro: '请输入本品牌具有 brand:read 角色的 API 密钥。密钥只保存在此标签页的内存中，刷新页面即会清除。',
  keyLabel: 'API 密钥',
  keyHint: '每次请求以 Authorization 请求头发送，从不存储。',
  keyButton: '打开',
  keyRefused: '密钥被拒绝。请确认密钥完整，且未被吊销或过期。',
  keyMissingRole: '此密钥无权读取本品牌的订单：需要 brand:read 角色。',
  signOut: '清除密钥',

  rangeHeading: '时间段',
  fromLabel: '起始',
  toLabel: '截止',
  tzLabel: (tz) => `按 ${tz} 时区计日`,
  update: '显示',
  loading: '加载中…',
  loadFailed: (detail) => `无法加载数据：${detail}`,

  figuresHeading: '概览',
  ordersInRange: '新建订单',
  medianPaidToDelivered: '付款 → 送达（中位数）',
  p95PaidToDelivered: '付款 → 送达（95 分位）',
  basedOn: (n) => `基于 ${n} 个已送达订单`,
  onTimeShare: '准时送达',
  onTimeOf: (onTime, promised) => `${promised} 个有承诺日期的订单中 ${onTime} 个`,
  onTimeHint: '对照下单事件的 data.promisedDelivery（YYYY-MM-DD）。',
  anchoringLag: '上链延迟',
  anchoringUpToDate: '所有事件均已上链',
  walletBalance: '上链钱包余额',
  walletLow: '余额不足',
  anchoringOff: '上链已关闭',
  flaggedOrders: '风险订单',
  notAvailable: '—',

  ordersPerDayHeading: '每日订单',
  ordersAxis: '订单',
  funnelHeading: '订单生命周期漏斗',
  stage: {
    created: '已下单',
    paid: '已付款',
    packed: '已打包',
    shipped: '已发货',
    delivered: '已送达',
    received: '已确认收货',
    cancelled: '已取消',
    returned: '已退货',
    refunded: '已退款',
  },
  stageLabel: '阶段',
  ordersLabel: '订单数',

  flagsHeading: '风险订单',
  flagsNone: '没有被标记的订单。',
  flagsUnavailable: '此服务不提供风险标记。',
  severity: (s) => ({ high: '高', medium: '中', low: '低' })[s] ?? s,

  searchHeading: '订单',
  referenceLabel: '订单号开头',
  stateLabel: '状态',
  anyState: '全部',
  search: '搜索',
  referenceColumn: '订单号',
  stateColumn: '状态',
  createdColumn: '创建时间',
  noOrders: '没有匹配的订单。',
  more: '更多',

  orderHeading: (reference) => `订单 ${reference}`,
  backToList: '← 返回控制台',
  bundleFailed: (detail) => `无法加载该订单的证明包：${detail}`,
};

export const CONSOLE_MESSAGES: Record<Lang, ConsoleMessages> = { en, 'zh-CN': zhCN };

/** A duration in seconds as people read it: the two largest units. */
export function formatDuration(lang: Lang, seconds: number): string {
  const units: [Intl.NumberFormatOptions['unit'], number][] = [
    ['day', 86_400],
    ['hour', 3_600],
    ['minute', 60],
    ['second', 1],
  ];
  let rest = Math.max(0, Math.round(seconds));
  const parts: string[] = [];
  for (const [unit, size] of units) {
    const n = Math.floor(rest / size);
    if (n === 0 && !(unit === 'second' && parts.length === 0)) continue;
    parts.push(new Intl.NumberFormat(lang, { style: 'unit', unit, unitDisplay: 'short' }).format(n));
    rest -= n * size;
    if (parts.length === 2) break;
  }
  return parts.join(' ');
}
