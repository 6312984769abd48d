/**
 * The page's two languages. Every visible string lives here, so a missing translation is a type
 * error rather than a blank on a consumer's phone.
 */
import type { ExpectedStep } from '../../proof/order-lifecycle';
import type { EventType } from '../../proof/record';
import type { VerifyStep } from '../../proof/verify';

export type Lang = 'en' | 'zh-CN';
export const LANGS: readonly Lang[] = ['en', 'zh-CN'];

export interface Messages {
  langName: string;
  htmlTitle: string;
  skipToContent: string;
  languageSwitchLabel: string;
  productName: string;
  footer: string;

  loading: string;
  checking: string;
  pageTitle: (brandName: string) => string;
  orderLabel: string;
  brandLabel: string;

  verdictTitle: { verified: string; pending: string; invalid: string; unavailable: string };
  verdictVerified: (events: number) => string;
  verdictPending: (pending: number) => string;
  verdictInvalid: (seq: number | null, label: string) => string;
  verdictInvalidWhole: string;
  verdictUnavailable: (rpcUrl: string) => string;
  checkedAt: (time: string) => string;

  latestStatusHeading: string;
  /** Followed by the expected step, punctuation included. */
  nextStepLabel: string;
  /** What the consumer can expect next, after the lifecycle's EXPECTED_NEXT. */
  expectedStep: Record<ExpectedStep, string>;
  nothingMoreExpected: string;
  carrierLabel: string;
  placeLabel: string;

  timelineHeading: string;
  newestFirst: string;
  moreDetails: string;
  eventType: Record<EventType, string>;
  unknownEventType: (type: string) => string;
  eventNumber: (seq: number | null) => string;
  happenedAt: string;
  recordedAt: string;
  recordedByLabel: string;
  recordedBy: {
    apiKey: (keyId: string) => string;
    consumer: string;
    operator: string;
    unknown: (value: string) => string;
    notStated: string;
  };
  otherReservedData: string;
  timeWarning: {
    recordedAfterBlock: (seconds: number, toleranceSeconds: number) => string;
    lateAnchor: (delay: string) => string;
  };
  sealedFields: string;
  sealedFieldsHint: string;
  /** After the name of a private detail its issuer erased. */
  erasedMark: string;
  disclosedFields: string;
  status: { verified: string; pending: string; invalid: string; unchecked: string };
  pendingReason: string;
  uncheckedReason: string;
  stepReason: Record<VerifyStep, string>;
  technicalDetail: string;
  anchoredInBatch: (batch: number) => string;
  anchoringHeading: string;
  anchoringIntro: string;
  batchSummary: (batch: number | null, block: number | null) => string;
  batchNotConfirmed: string;
  batchEventsLabel: string;
  rootLabel: string;
  transactionLabel: string;
  blockLabel: string;
  blockTimeLabel: string;
  confirmationsLabel: string;

  checksHeading: string;
  checksIntro: string;
  checksList: (ctx: {
    brand: string;
    order: string;
    chainId: number;
    contract: string;
    rpcUrl: string;
    /** Where the pinned chain and contract came from; null when nothing was pinned. */
    pinSource: string | null;
    /** Endpoints that failed or disagreed, with why. */
    endpointNotes: string[];
  }) => string[];
  checksPending: string;

  receiptHeading: string;
  receiptExplain: string;
  receiptButton: string;
  receiptSending: string;
  receiptDone: string;
  receiptRefused: string;
  receiptFailed: string;

  requests: {
    heading: string;
    explain: string;
    addressLabel: string;
    addressHint: string;
    addressButton: string;
    holdButton: string;
    sending: string;
    sent: string;
    refused: string;
    failed: string;
    addressMissing: string;
    listHeading: string;
    kind: { address: string; hold: string; unknown: string };
    state: { pending: string; approved: string; declined: string };
    /** "(answer #n)": the event that answered the request. */
    answeredBy: (seq: number | null) => string;
  };

  pollingActive: string;
  pollingStopped: string;
  checkAgain: string;
  downloadBundle: string;

  invalidLinkTitle: string;
  invalidLinkBody: string;
  rateLimited: string;
  loadFailed: string;
  retry: string;

  fileHeading: string;
  fileIntro: string;
  fileDrop: string;
  fileChosen: (name: string) => string;
  rpcUrlLabel: string;
  rpcUrlHint: string;
  verifyFileButton: string;
  fileNotJson: string;
  fileNotBundle: string;
  fileTooLarge: string;
  fileNeedsRpc: string;
  haveAFile: string;
}

const en: Messages = {
  langName: 'English',
  htmlTitle: 'Order verification · ordertrace',
  skipToContent: 'Skip to content',
  languageSwitchLabel: 'Language',
  productName: 'ordertrace verifier',
  footer: 'This page checks the proof in your browser and reads the blockchain directly. It does not have to trust the shop or ordertrace.',

  loading: 'Loading the order…',
  checking: 'Checking the proof against the blockchain…',
  pageTitle: (brandName) => `Your order from ${brandName}`,
  orderLabel: 'Order',
  brandLabel: 'Brand',

  verdictTitle: {
    verified: 'Verified',
    pending: 'Verified so far — waiting for the blockchain',
    invalid: 'Verification failed',
    unavailable: 'Could not check',
  },
  verdictVerified: (n) =>
    n === 1
      ? 'The event of this order is recorded on the blockchain and has not been altered.'
      : `All ${n} events of this order are recorded on the blockchain, complete and unaltered.`,
  verdictPending: (n) =>
    `Everything checked so far is intact. ${n === 1 ? '1 recent event is' : `${n} recent events are`} not yet anchored on the blockchain; this page checks again automatically.`,
  verdictInvalid: (seq, label) =>
    `Event ${seq === null ? '' : `#${seq} `}(${label}) does not match its proof. The order history shown here cannot be trusted.`,
  verdictInvalidWhole: 'The proof as a whole does not hold, so no event of it can be trusted:',
  verdictUnavailable: (rpcUrl) =>
    `The blockchain node ${rpcUrl} could not be reached, so nothing was verified. This is not a failed check: try again later.`,
  checkedAt: (time) => `Checked at ${time}`,

  latestStatusHeading: 'Latest status',
  nextStepLabel: 'Next: ',
  expectedStep: {
    paid: 'payment',
    packed: 'the shop packs your order',
    shipped: 'handed to the carrier',
    delivered: 'delivery to you',
    received: 'you confirm receipt on this page',
    returned: 'the return arrives back at the shop',
    refunded: 'your refund',
  },
  nothingMoreExpected: 'Nothing more is expected for this order.',
  carrierLabel: 'Carrier',
  placeLabel: 'Place',

  timelineHeading: 'Order history',
  newestFirst: 'Newest first.',
  moreDetails: 'More about this event',
  eventType: {
    created: 'Order placed',
    paid: 'Payment received',
    allocated: 'Stock allocated',
    packed: 'Packed',
    shipped: 'Shipped',
    in_transit: 'In transit',
    out_for_delivery: 'Out for delivery',
    delivered: 'Delivered',
    received: 'Receipt confirmed',
    address_changed: 'Delivery address changed',
    cancelled: 'Cancelled',
    return_requested: 'Return requested',
    returned: 'Returned',
    refunded: 'Refunded',
    change_requested: 'Change requested',
    hold_confirmed: 'Hold confirmed',
    change_declined: 'Change declined',
  },
  unknownEventType: (type) => `Unknown event "${type}"`,
  eventNumber: (seq) => (seq === null ? 'Event' : `Event #${seq}`),
  happenedAt: 'When',
  recordedAt: 'Recorded',
  recordedByLabel: 'Recorded by',
  recordedBy: {
    apiKey: (keyId) => `The shop (API key ${keyId})`,
    consumer: 'You or another holder of this link (receipt or change request)',
    operator: 'The ordertrace operator',
    unknown: (value) => `Unknown: ${value}`,
    notStated: 'Not stated (recorded before this was written into records)',
  },
  otherReservedData: 'Other ordertrace fields (not known to this page)',
  timeWarning: {
    recordedAfterBlock: (seconds, tolerance) =>
      `Time warning: this event says it was recorded ${seconds} s after the blockchain block that anchors it (more than the ${tolerance} s allowed). The check above still holds.`,
    lateAnchor: (delay) =>
      `Time warning: this event was anchored ${delay} after it was recorded, later than expected. A delay can be honest (the blockchain or the anchoring account was unavailable); the check above still holds.`,
  },
  sealedFields: 'Private details (sealed)',
  sealedFieldsHint: 'Kept private: only a fingerprint is published, which proves them if they are ever disclosed.',
  erasedMark: ' (erased)',
  disclosedFields: 'Disclosed private details (checked against their fingerprint)',
  status: { verified: 'Verified', pending: 'Pending', invalid: 'Invalid', unchecked: 'Not checked' },
  pendingReason: 'Recorded, waiting to be anchored on the blockchain.',
  uncheckedReason: 'Not checked, because the proof failed elsewhere.',
  stepReason: {
    format: 'The proof data of this event is malformed.',
    leaf: 'The content of this event does not match its fingerprint: it was changed after it was recorded.',
    disclosure: 'A disclosed private detail does not match its sealed fingerprint.',
    'chain-link': 'The chain of events is broken here: an event was removed, inserted or reordered.',
    inclusion: 'This event is not part of the batch it claims to be in.',
    anchor: 'The blockchain does not confirm the batch this event claims to be anchored in.',
  },
  technicalDetail: 'Technical detail',
  anchoredInBatch: (batch) => `Anchored on the blockchain in batch ${batch}`,
  anchoringHeading: 'Blockchain records',
  anchoringIntro: 'Events are anchored in batches: one blockchain transaction holds the fingerprints of many events.',
  batchSummary: (batch, block) => `Batch ${batch ?? '?'}${block === null ? '' : ` · block ${block}`}`,
  batchNotConfirmed: 'Not confirmed by the blockchain: shown as the proof states it.',
  batchEventsLabel: 'Events of this order',
  rootLabel: 'Merkle root',
  transactionLabel: 'Transaction',
  blockLabel: 'Block',
  blockTimeLabel: 'Block time',
  confirmationsLabel: 'Confirmations',

  checksHeading: 'What was checked',
  checksIntro: 'Your browser did all of this itself, with the proof below and the public blockchain:',
  checksList: ({ brand, order, chainId, contract, rpcUrl, pinSource, endpointNotes }) => [
    `The proof is for order ${order} of brand "${brand}".`,
    'Each event’s fingerprint (a keccak-256 hash) was recomputed from its content. Changing anything in an event — a time, a status, a detail — would change its fingerprint.',
    'Private details such as names and addresses are not shown. Only their fingerprints are part of the event, so they stay private but cannot be swapped later.',
    'The events form an unbroken chain from the first to the last: each one contains the fingerprint of the one before it, so none can be removed, inserted or reordered without detection.',
    'Each fingerprint was shown to belong to a batch, whose summary (a Merkle root) was published on the blockchain.',
    `Your browser asked the blockchain itself — chain ${chainId}, contract ${contract}, through the node ${rpcUrl} — not ordertrace’s server. The contract holds that summary, and the publishing transaction is in the block shown, so each event existed no later than that block’s time.`,
    pinSource === null
      ? 'This page has no trust anchors: the contract was the one the proof names, which alone does not rule out a look-alike contract.'
      : `The chain and contract were pinned by this page’s trust anchors (${pinSource}), not taken from the proof or from ordertrace’s server.`,
    ...endpointNotes.map((note) => `Note: ${note}`),
  ],
  checksPending: 'Events recorded in the last few moments are not anchored yet. They are shown as pending and checked as soon as they are.',

  receiptHeading: 'Did you receive your order?',
  receiptExplain:
    'Confirming adds a "receipt confirmed" event to this order’s history. It is recorded and anchored like every other event, and can be done only once.',
  receiptButton: 'Confirm receipt',
  receiptSending: 'Confirming…',
  receiptDone: 'Thank you — your confirmation was recorded. It shows as pending until it is anchored on the blockchain.',
  receiptRefused: 'Receipt cannot be confirmed for this order now: it may not have been shipped yet, or receipt was already confirmed.',
  receiptFailed: 'The receipt could not be confirmed right now. Please try again.',

  requests: {
    heading: 'Change your order',
    explain: 'Until the parcel is shipped, you can ask the shop to deliver it to another address or to hold it. The shop answers here.',
    addressLabel: 'New delivery address',
    addressHint: 'Sent sealed: only the shop sees it; the public record holds a commitment to it.',
    addressButton: 'Ask to change the address',
    holdButton: 'Ask to hold the parcel',
    sending: 'Sending…',
    sent: 'Your request was sent. The shop’s answer will appear here.',
    refused: 'The request was not accepted.',
    failed: 'The request could not be sent right now. Please try again.',
    addressMissing: 'Enter the new address first.',
    listHeading: 'Your requests',
    kind: { address: 'Change of delivery address', hold: 'Hold the parcel', unknown: 'Change request' },
    state: { pending: 'Waiting for the shop', approved: 'Accepted', declined: 'Declined' },
    answeredBy: (seq) => (seq === null ? '' : `(answer: event #${seq})`),
  },

  pollingActive: 'Waiting for the blockchain; this page checks again automatically.',
  pollingStopped: 'Stopped checking automatically.',
  checkAgain: 'Check again',
  downloadBundle: 'Download the proof (JSON)',

  invalidLinkTitle: 'This link is not valid',
  invalidLinkBody:
    'The link may be incomplete, mistyped or replaced by a newer one. Please scan the QR code on your parcel again, or ask the shop for a new link.',
  rateLimited: 'Too many requests. Please wait a minute and try again.',
  loadFailed: 'The order could not be loaded. Check your connection and try again.',
  retry: 'Try again',

  fileHeading: 'Verify a proof file',
  fileIntro:
    'Got an ordertrace proof bundle (a JSON file)? Check it here. Nothing is uploaded: the file is checked in your browser against the blockchain node below.',
  fileDrop: 'Drop a bundle file here, or choose one',
  fileChosen: (name) => `Selected: ${name}`,
  rpcUrlLabel: 'Blockchain node (JSON-RPC URL)',
  rpcUrlHint: 'Any node of the chain the bundle names will do; it does not need to be ordertrace’s.',
  verifyFileButton: 'Verify file',
  fileNotJson: 'This file is not valid JSON.',
  fileNotBundle: 'This file is not an ordertrace proof bundle:',
  fileTooLarge: 'This file is too large to be a proof bundle.',
  fileNeedsRpc: 'Enter the URL of a blockchain node first.',
  haveAFile: 'Have a proof file?',
};

const zhCN: Messages = {
  langName: '中文',
  htmlTitle: '订单验证 · ordertrace',
  skipToContent: '跳到正文',
  languageSwitchLabel: '语言',
  productName: 'ordertrace 验证',
  footer: '本页面在您的浏览器中校验证明，并直接读取区块链，无需信任商家或 ordertrace。',

  loading: '正在加载订单…',
  checking: '正在对照区块链校验证明…',
  pageTitle: (brandName) => `您在 ${brandName} 的订单`,
  orderLabel: '订单',
  brandLabel: '品牌',

  verdictTitle: {
    verified: '已验证',
    pending: '目前均已验证 — 等待上链',
    invalid: '验证失败',
    unavailable: '无法校验',
  },
  verdictVerified: (n) =>
    n === 1 ? '该订单的事件已记录在区块链上，未被篡改。' : `该订单的全部 ${n} 个事件均已记录在区块链上，完整且未被篡改。`,
  verdictPending: (n) => `已校验的内容均完好。有 ${n} 个最新事件尚未上链，本页面会自动重新校验。`,
  verdictInvalid: (seq, label) => `事件${seq === null ? '' : ` #${seq}`}（${label}）与其证明不符，此处显示的订单记录不可信。`,
  verdictInvalidWhole: '该证明整体不成立，其中任何事件都不可信：',
  verdictUnavailable: (rpcUrl) => `无法连接区块链节点 ${rpcUrl}，因此未做任何校验。这不代表校验失败，请稍后再试。`,
  checkedAt: (time) => `校验时间 ${time}`,

  latestStatusHeading: '最新状态',
  nextStepLabel: '下一步：',
  expectedStep: {
    paid: '付款',
    packed: '商家打包',
    shipped: '交给承运商',
    delivered: '送达给您',
    received: '您在本页面确认收货',
    returned: '退货寄回商家',
    refunded: '退款',
  },
  nothingMoreExpected: '此订单已无后续步骤。',
  carrierLabel: '承运商',
  placeLabel: '地点',

  timelineHeading: '订单记录',
  newestFirst: '最新的在最前。',
  moreDetails: '此事件的更多信息',
  eventType: {
    created: '已下单',
    paid: '已付款',
    allocated: '已配货',
    packed: '已打包',
    shipped: '已发货',
    in_transit: '运输中',
    out_for_delivery: '派送中',
    delivered: '已送达',
    received: '已确认收货',
    address_changed: '收货地址已变更',
    cancelled: '已取消',
    return_requested: '已申请退货',
    returned: '已退货',
    refunded: '已退款',
    change_requested: '申请变更',
    hold_confirmed: '已确认暂缓发货',
    change_declined: '变更被拒绝',
  },
  unknownEventType: (type) => `未知事件“${type}”`,
  eventNumber: (seq) => (seq === null ? '事件' : `事件 #${seq}`),
  happenedAt: '时间',
  recordedAt: '记录时间',
  recordedByLabel: '记录者',
  recordedBy: {
    apiKey: (keyId) => `商家（API 密钥 ${keyId}）`,
    consumer: '您或持有此链接的人（确认收货或变更申请）',
    operator: 'ordertrace 运营方',
    unknown: (value) => `未知：${value}`,
    notStated: '未注明（此事件记录于写入记录者之前）',
  },
  otherReservedData: '其他 ordertrace 字段（此页面不认识）',
  timeWarning: {
    recordedAfterBlock: (seconds, tolerance) =>
      `时间警告：此事件的记录时间比锚定它的区块晚 ${seconds} 秒（超过允许的 ${tolerance} 秒）。上面的验证结果不变。`,
    lateAnchor: (delay) =>
      `时间警告：此事件在记录 ${delay}后才上链，晚于预期。延迟可能是正常的（区块链或上链账户暂时不可用）；上面的验证结果不变。`,
  },
  sealedFields: '隐私信息（已封存）',
  sealedFieldsHint: '不公开：只公布其指纹，日后如需披露可据此证明。',
  erasedMark: '（已删除）',
  disclosedFields: '已披露的隐私信息（已与指纹核对）',
  status: { verified: '已验证', pending: '待上链', invalid: '无效', unchecked: '未校验' },
  pendingReason: '已记录，等待上链。',
  uncheckedReason: '未校验，因为证明的其他部分校验失败。',
  stepReason: {
    format: '该事件的证明数据格式有误。',
    leaf: '该事件的内容与其指纹不符：记录后被修改过。',
    disclosure: '已披露的隐私信息与其封存指纹不符。',
    'chain-link': '事件链在此处断开：有事件被删除、插入或调换了顺序。',
    inclusion: '该事件不属于其声称所在的批次。',
    anchor: '区块链无法确认该事件声称所在的批次。',
  },
  technicalDetail: '技术细节',
  anchoredInBatch: (batch) => `已在批次 ${batch} 中上链`,
  anchoringHeading: '区块链记录',
  anchoringIntro: '事件按批次上链：一笔区块链交易包含多个事件的指纹。',
  batchSummary: (batch, block) => `批次 ${batch ?? '?'}${block === null ? '' : ` · 区块 ${block}`}`,
  batchNotConfirmed: '未经区块链确认：按证明中的说法显示。',
  batchEventsLabel: '本订单的事件',
  rootLabel: '默克尔根',
  transactionLabel: '交易',
  blockLabel: '区块',
  blockTimeLabel: '区块时间',
  confirmationsLabel: '确认数',

  checksHeading: '校验了哪些内容',
  checksIntro: '以下校验均由您的浏览器根据下方证明和公共区块链独立完成：',
  checksList: ({ brand, order, chainId, contract, rpcUrl, pinSource, endpointNotes }) => [
    `该证明属于品牌“${brand}”的订单 ${order}。`,
    '根据每个事件的内容重新计算其指纹（keccak-256 哈希）。事件中任何内容（时间、状态、详情）被修改，指纹都会改变。',
    '姓名、地址等隐私信息不会显示，事件中只包含它们的指纹，因此既保护隐私，又无法事后替换。',
    '事件从第一个到最后一个构成一条完整的链：每个事件都包含前一个事件的指纹，删除、插入或调换任何事件都会被发现。',
    '证明了每个指纹都属于某个批次，该批次的摘要（默克尔根）已发布到区块链上。',
    `您的浏览器直接询问了区块链 — 链 ${chainId}、合约 ${contract}、节点 ${rpcUrl} — 而不是 ordertrace 的服务器。合约中存有该摘要，发布交易位于所示区块中，因此每个事件最晚在该区块时间之前就已存在。`,
    pinSource === null
      ? '本页面没有信任锚：所用合约是证明中指明的合约，仅凭这一点无法排除仿冒合约。'
      : `链和合约由本页面的信任锚（${pinSource}）固定，而不是取自证明或 ordertrace 的服务器。`,
    ...endpointNotes.map((note) => `注意：${note}`),
  ],
  checksPending: '刚刚记录的事件尚未上链，显示为“待上链”，上链后即会校验。',

  receiptHeading: '您收到订单了吗？',
  receiptExplain: '确认后，订单记录中会新增一个“已确认收货”事件。它与其他事件一样被记录并上链，且只能确认一次。',
  receiptButton: '确认收货',
  receiptSending: '正在确认…',
  receiptDone: '谢谢，您的确认已记录。上链前显示为“待上链”。',
  receiptRefused: '此订单现在无法确认收货：可能尚未发货，或已确认过收货。',
  receiptFailed: '暂时无法确认收货，请稍后再试。',

  requests: {
    heading: '修改订单',
    explain: '包裹发货之前，您可以请商家改寄到其他地址或暂缓发货。商家的答复会显示在这里。',
    addressLabel: '新的收货地址',
    addressHint: '以密封方式发送：只有商家能看到地址，公开记录中只有它的承诺值。',
    addressButton: '申请修改地址',
    holdButton: '申请暂缓发货',
    sending: '正在发送…',
    sent: '您的申请已发送，商家的答复会显示在这里。',
    refused: '申请未被接受。',
    failed: '暂时无法发送申请，请稍后再试。',
    addressMissing: '请先填写新的地址。',
    listHeading: '您的申请',
    kind: { address: '修改收货地址', hold: '暂缓发货', unknown: '变更申请' },
    state: { pending: '等待商家答复', approved: '已同意', declined: '已拒绝' },
    answeredBy: (seq) => (seq === null ? '' : `（答复：事件 #${seq}）`),
  },

  pollingActive: '等待上链，本页面会自动重新校验。',
  pollingStopped: '已停止自动校验。',
  checkAgain: '重新校验',
  downloadBundle: '下载证明（JSON）',

  invalidLinkTitle: '此链接无效',
  invalidLinkBody: '链接可能不完整、输入有误或已被新链接取代。请重新扫描包裹上的二维码，或向商家索取新链接。',
  rateLimited: '请求过于频繁，请稍等一分钟再试。',
  loadFailed: '无法加载订单，请检查网络后重试。',
  retry: '重试',

  fileHeading: '校验证明文件',
  fileIntro: '有 ordertrace 证明包（JSON 文件）？可在此校验。文件不会上传：在您的浏览器中对照下方的区块链节点进行校验。',
  fileDrop: '将证明文件拖到此处，或点击选择',
  fileChosen: (name) => `已选择：${name}`,
  rpcUrlLabel: '区块链节点（JSON-RPC 地址）',
  rpcUrlHint: '证明包所指链上的任意节点均可，不必是 ordertrace 的节点。',
  verifyFileButton: '校验文件',
  fileNotJson: '该文件不是有效的 JSON。',
  fileNotBundle: '该文件不是 ordertrace 证明包：',
  fileTooLarge: '文件过大，不可能是证明包。',
  fileNeedsRpc: '请先填写区块链节点地址。',
  haveAFile: '有证明文件？',
};

export const MESSAGES: Record<Lang, Messages> = { en, 'zh-CN': zhCN };

/** The stored choice wins; otherwise the first browser language we speak; English by default. */
export function pickLang(stored: string | null, browserLanguages: readonly string[]): Lang {
  if (stored === 'en' || stored === 'zh-CN') return stored;
  for (const tag of browserLanguages) {
    const lower = tag.toLowerCase();
    if (lower === 'zh' || lower.startsWith('zh-')) return 'zh-CN';
    if (lower === 'en' || lower.startsWith('en-')) return 'en';
  }
  return 'en';
}

/** Times in the reader's language and time zone; the raw RFC 3339 string stays in a tooltip. */
const pad2 = (n: number) => String(n).padStart(2, '0');
const EN_MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * A date and time in the reader's time zone, written as Intl's medium styles write them. Written
 * here rather than by Intl: Intl's first use loads its locale data, which on a slow phone costs
 * more than the rest of drawing the verdict.
 */
const TIME_FORMATS: Record<Lang, (d: Date) => string> = {
  en: (d) =>
    `${EN_MONTHS[d.getMonth()]} ${d.getDate()}, ${d.getFullYear()}, ${d.getHours() % 12 || 12}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())} ${d.getHours() < 12 ? 'AM' : 'PM'}`,
  'zh-CN': (d) =>
    `${d.getFullYear()}年${d.getMonth() + 1}月${d.getDate()}日 ${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}`,
};

export function formatTime(lang: Lang, value: string | number | Date): string {
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) return String(value);
  return TIME_FORMATS[lang](date);
}
