/**
 * Hand-written language the workload data is grown from (scenarios/data/generate.ts): per intent,
 * a few different phrasings of the same request ("cores"); the generator combines them with
 * openers and closers into paraphrase families. Hard negatives — families worded almost alike
 * but meaning something else (cancel a subscription / cancel an order) — sit side by side with
 * the same `pair`, so a semantic cache that matches too loosely is caught serving a wrong answer.
 */

export type FamilyKind = 'question' | 'task' | 'document';

export interface FamilySeed {
  /** family id, kebab-case */
  id: string;
  /** intent label: two requests with the same intent may share an answer, different intents may not */
  intent: string;
  domain: 'support' | 'coding' | 'writing' | 'knowledge' | 'extraction' | 'reasoning';
  kind: FamilyKind;
  /**
   * How hard the request is for a model, 0 (a lookup any model gets right) … 1 (multi-step
   * reasoning few models get right). The mock fleet's quality model reads it from the generated
   * difficulty table (scenarios/data/difficulty.json); nothing of it is sent with the prompt.
   */
  difficulty: number;
  /** phrasings of the same request */
  cores: string[];
  /** families that are each other's hard negatives share a pair name */
  pair?: string;
  /** for `document` families: the kind of attached text */
  document?: 'meeting-notes' | 'incident' | 'review' | 'email-thread' | 'code';
  /** the system prompt every paraphrase is sent with */
  system?: string;
}

export const OPENERS = ['', '', '', 'Hi, ', 'Hello! ', 'Quick question: ', 'Hey, ', 'Could you help me? ', 'Please help: '];
export const CLOSERS = ['', '', '', ' Thanks!', ' Thank you.', ' Please keep it short.', ' Thanks in advance.', ' Any help appreciated.'];

const SUPPORT = 'You are the support assistant of Acme Cloud. Answer accurately and briefly; if unsure, say so.';
const CODER = 'You are a senior software engineer. Answer with correct, idiomatic code and a short explanation.';
const WRITER = 'You are a careful writing assistant. Keep the author\'s meaning; be clear and concise.';
const ANALYST = 'You are an analyst. Read the text provided and answer only from it.';

export const FAMILY_SEEDS: FamilySeed[] = [
  { id: 'cancel-subscription', intent: 'cancel_subscription', domain: 'support', kind: 'question', difficulty: 0.15, pair: 'cancel', system: SUPPORT, cores: [
    'How do I cancel my subscription?', 'What are the steps to cancel my subscription?', 'I want to stop my monthly plan. How do I cancel it?',
    'Where can I end my subscription?', 'Can you tell me how to cancel the subscription on my account?', 'How can I unsubscribe from the paid plan?'] },
  { id: 'cancel-order', intent: 'cancel_order', domain: 'support', kind: 'question', difficulty: 0.15, pair: 'cancel', system: SUPPORT, cores: [
    'How do I cancel my order?', 'What are the steps to cancel an order I just placed?', 'I want to stop my order before it ships. How do I cancel it?',
    'Where can I cancel a pending order?', 'Can you tell me how to cancel the order on my account?', 'How can I call off an order I made by mistake?'] },
  { id: 'reset-password', intent: 'reset_password', domain: 'support', kind: 'question', difficulty: 0.1, pair: 'credentials', system: SUPPORT, cores: [
    'How do I reset my password?', 'I forgot my password. How can I reset it?', 'What is the way to get a new password for my account?',
    'My password does not work anymore, how do I reset it?', 'Can you walk me through resetting my password?', 'Where do I go to reset a forgotten password?'] },
  { id: 'change-email', intent: 'change_email', domain: 'support', kind: 'question', difficulty: 0.1, pair: 'credentials', system: SUPPORT, cores: [
    'How do I change my email address?', 'I have a new email. How can I update it on my account?', 'What is the way to change the email for my account?',
    'My email address is out of date, how do I change it?', 'Can you walk me through changing my login email?', 'Where do I go to update the email on my profile?'] },
  { id: 'refund-policy', intent: 'refund_policy', domain: 'support', kind: 'question', difficulty: 0.15, pair: 'refund', system: SUPPORT, cores: [
    'What is your refund policy?', 'Can I get my money back if I am not satisfied?', 'Under what conditions do you give refunds?',
    'How many days do I have to ask for a refund?', 'Do you offer refunds on annual plans?', 'Explain your policy on refunds.'] },
  { id: 'refund-status', intent: 'refund_status', domain: 'support', kind: 'question', difficulty: 0.25, pair: 'refund', system: SUPPORT, cores: [
    'Where is my refund?', 'I asked for a refund last week. When will I get my money back?', 'What is the status of my refund?',
    'How long until my refund shows up on my card?', 'My refund has not arrived yet, can you check it?', 'Has my refund been processed?'] },
  { id: 'shipping-time', intent: 'shipping_time', domain: 'support', kind: 'question', difficulty: 0.1, pair: 'shipping', system: SUPPORT, cores: [
    'How long does shipping take?', 'When will my package arrive if I order today?', 'What are your delivery times?',
    'How many days does standard shipping take?', 'How fast do you ship to Europe?', 'What is the usual delivery time for an order?'] },
  { id: 'shipping-cost', intent: 'shipping_cost', domain: 'support', kind: 'question', difficulty: 0.1, pair: 'shipping', system: SUPPORT, cores: [
    'How much does shipping cost?', 'What will I pay for delivery if I order today?', 'What are your shipping fees?',
    'How much is standard shipping?', 'How much do you charge to ship to Europe?', 'Is shipping free above some order amount?'] },
  { id: 'upgrade-plan', intent: 'upgrade_plan', domain: 'support', kind: 'question', difficulty: 0.2, pair: 'plan', system: SUPPORT, cores: [
    'How do I upgrade to the Pro plan?', 'I want more seats. How do I move to a bigger plan?', 'What happens to my bill if I upgrade my plan?',
    'Can I upgrade my plan in the middle of the month?', 'Where do I switch to the Pro plan?', 'How can I upgrade my subscription tier?'] },
  { id: 'downgrade-plan', intent: 'downgrade_plan', domain: 'support', kind: 'question', difficulty: 0.2, pair: 'plan', system: SUPPORT, cores: [
    'How do I downgrade to the Basic plan?', 'I need fewer seats. How do I move to a smaller plan?', 'What happens to my bill if I downgrade my plan?',
    'Can I downgrade my plan in the middle of the month?', 'Where do I switch to the Basic plan?', 'How can I lower my subscription tier?'] },
  { id: 'delete-account', intent: 'delete_account', domain: 'support', kind: 'question', difficulty: 0.15, system: SUPPORT, cores: [
    'How do I delete my account?', 'I want all my data removed. How do I close my account for good?', 'What is the process to permanently delete my account?',
    'Can you delete my account and everything in it?'] },
  { id: 'export-data', intent: 'export_data', domain: 'support', kind: 'question', difficulty: 0.2, system: SUPPORT, cores: [
    'How can I export all my data?', 'Is there a way to download everything I stored with you?', 'What formats can I export my projects in?',
    'I need a full backup of my account data. How do I get it?'] },
  { id: 'two-factor', intent: 'enable_2fa', domain: 'support', kind: 'question', difficulty: 0.15, system: SUPPORT, cores: [
    'How do I turn on two-factor authentication?', 'How can I enable 2FA on my account?', 'Do you support authenticator apps for login?',
    'What are the steps to set up two-step verification?'] },
  { id: 'api-rate-limits', intent: 'api_rate_limits', domain: 'support', kind: 'question', difficulty: 0.3, system: SUPPORT, cores: [
    'What are the API rate limits?', 'How many requests per minute can I send to your API?', 'Why am I getting HTTP 429 from your API?',
    'What limits apply to API calls on the Pro plan?'] },
  { id: 'sql-top-customers', intent: 'sql_top_customers', domain: 'coding', kind: 'task', difficulty: 0.5, pair: 'sql', system: CODER, cores: [
    'Write a SQL query that returns the top 10 customers by total revenue from an orders table (customer_id, amount, created_at).',
    'Give me SQL to list the ten customers who spent the most, using orders(customer_id, amount, created_at).',
    'I need a query for the 10 highest-revenue customers. Table: orders with customer_id, amount and created_at.',
    'SQL please: top 10 customers ranked by the sum of order amounts (orders: customer_id, amount, created_at).'] },
  { id: 'sql-top-products', intent: 'sql_top_products', domain: 'coding', kind: 'task', difficulty: 0.5, pair: 'sql', system: CODER, cores: [
    'Write a SQL query that returns the top 10 products by units sold from an order_items table (product_id, quantity, created_at).',
    'Give me SQL to list the ten products that sold the most units, using order_items(product_id, quantity, created_at).',
    'I need a query for the 10 best-selling products. Table: order_items with product_id, quantity and created_at.',
    'SQL please: top 10 products ranked by the sum of quantities (order_items: product_id, quantity, created_at).'] },
  { id: 'explain-regex', intent: 'explain_regex', domain: 'coding', kind: 'task', difficulty: 0.6, system: CODER, cores: [
    'Explain what this regular expression matches: ^[A-Z]{2}\\d{2}(?: ?\\d{4}){4}$', 'What does the regex ^[A-Z]{2}\\d{2}(?: ?\\d{4}){4}$ match? Explain it part by part.',
    'Break down this pattern for me: ^[A-Z]{2}\\d{2}(?: ?\\d{4}){4}$', 'In plain words, which strings does ^[A-Z]{2}\\d{2}(?: ?\\d{4}){4}$ accept?'] },
  { id: 'fix-python-bug', intent: 'fix_python_bug', domain: 'coding', kind: 'document', difficulty: 0.75, document: 'code', system: CODER, cores: [
    'Find the bug in this Python function and fix it.', 'This code gives wrong results. What is wrong and how do I fix it?',
    'Review the function below and correct the mistake.', 'Why does this function return the wrong average? Please fix it.'] },
  { id: 'json-to-yaml', intent: 'json_to_yaml', domain: 'coding', kind: 'task', difficulty: 0.3, system: CODER, cores: [
    'Convert this JSON to YAML: {"service": "api", "replicas": 3, "ports": [80, 443], "env": {"LOG_LEVEL": "info"}}',
    'Turn the following JSON into YAML: {"service": "api", "replicas": 3, "ports": [80, 443], "env": {"LOG_LEVEL": "info"}}',
    'YAML version of this please: {"service": "api", "replicas": 3, "ports": [80, 443], "env": {"LOG_LEVEL": "info"}}'] },
  { id: 'translate-french', intent: 'translate_fr', domain: 'writing', kind: 'task', difficulty: 0.25, pair: 'translate', system: WRITER, cores: [
    'Translate into French: "Your order has shipped and will arrive on Thursday."', 'How do I say "Your order has shipped and will arrive on Thursday." in French?',
    'French translation please: "Your order has shipped and will arrive on Thursday."', 'Put this sentence into French: "Your order has shipped and will arrive on Thursday."'] },
  { id: 'translate-spanish', intent: 'translate_es', domain: 'writing', kind: 'task', difficulty: 0.25, pair: 'translate', system: WRITER, cores: [
    'Translate into Spanish: "Your order has shipped and will arrive on Thursday."', 'How do I say "Your order has shipped and will arrive on Thursday." in Spanish?',
    'Spanish translation please: "Your order has shipped and will arrive on Thursday."', 'Put this sentence into Spanish: "Your order has shipped and will arrive on Thursday."'] },
  { id: 'apology-email', intent: 'draft_apology', domain: 'writing', kind: 'document', difficulty: 0.4, document: 'email-thread', system: WRITER, cores: [
    'Draft a polite apology to the customer in this thread.', 'Write a reply to this email thread that apologizes for the delay.',
    'Answer the customer below: apologize and explain the next steps.', 'Compose a short, sincere apology for the problem described in this thread.'] },
  { id: 'summarize-meeting', intent: 'summarize_meeting', domain: 'writing', kind: 'document', difficulty: 0.5, document: 'meeting-notes', pair: 'meeting', system: ANALYST, cores: [
    'Summarize these meeting notes in five bullet points.', 'Give me a short summary of the meeting below.',
    'What was decided in this meeting? Summarize briefly.', 'TL;DR of these notes, please.'] },
  { id: 'action-items', intent: 'extract_action_items', domain: 'extraction', kind: 'document', difficulty: 0.6, document: 'meeting-notes', pair: 'meeting', system: ANALYST, cores: [
    'List every action item in these meeting notes with its owner.', 'Who has to do what after this meeting? Extract the action items.',
    'Pull out the tasks and owners from the notes below.', 'Extract the follow-ups (owner and task) from this meeting.'] },
  { id: 'summarize-incident', intent: 'summarize_incident', domain: 'writing', kind: 'document', difficulty: 0.65, document: 'incident', system: ANALYST, cores: [
    'Summarize this incident report for an executive audience.', 'Give a short summary of the outage described below: cause, impact, fix.',
    'Write a three-sentence summary of this postmortem.', 'What happened in this incident? Keep it brief.'] },
  { id: 'review-sentiment', intent: 'classify_sentiment', domain: 'extraction', kind: 'document', difficulty: 0.3, document: 'review', system: ANALYST, cores: [
    'Classify the sentiment of this review as positive, neutral or negative.', 'Is the following customer review positive, neutral or negative?',
    'Label the sentiment of the review below.', 'What is the overall sentiment of this review?'] },
  { id: 'capital-australia', intent: 'capital_australia', domain: 'knowledge', kind: 'question', difficulty: 0.1, pair: 'capital', cores: [
    'What is the capital of Australia?', 'Which city is the capital of Australia?', 'Australia\'s capital is which city?', 'Name the capital city of Australia.'] },
  { id: 'capital-austria', intent: 'capital_austria', domain: 'knowledge', kind: 'question', difficulty: 0.05, pair: 'capital', cores: [
    'What is the capital of Austria?', 'Which city is the capital of Austria?', 'Austria\'s capital is which city?', 'Name the capital city of Austria.'] },
  { id: 'explain-kubernetes', intent: 'explain_kubernetes', domain: 'knowledge', kind: 'question', difficulty: 0.35, pair: 'containers', cores: [
    'Explain Kubernetes to a beginner.', 'What is Kubernetes and why would I use it?', 'In simple terms, what does Kubernetes do?', 'Give me a short introduction to Kubernetes.'] },
  { id: 'explain-docker', intent: 'explain_docker', domain: 'knowledge', kind: 'question', difficulty: 0.3, pair: 'containers', cores: [
    'Explain Docker to a beginner.', 'What is Docker and why would I use it?', 'In simple terms, what does Docker do?', 'Give me a short introduction to Docker.'] },
  { id: 'boiling-point', intent: 'boiling_point', domain: 'knowledge', kind: 'question', difficulty: 0.05, cores: [
    'At what temperature does water boil at sea level?', 'What is the boiling point of water in Celsius and Fahrenheit?',
    'How hot does water need to be to boil?', 'Boiling point of water at normal pressure?'] },
  // multi-step reasoning and analysis: the hard end of the shipped prompts
  { id: 'capacity-estimate', intent: 'estimate_capacity', domain: 'reasoning', kind: 'task', difficulty: 0.8, system: ANALYST, cores: [
    'We serve 2,000 chat requests per second at peak, each averaging 600 prompt and 250 completion tokens. One GPU decodes 3,000 tokens/s '
      + 'and prefills 20,000 tokens/s. How many GPUs do we need at 70 % utilisation? Show each step.',
    'Estimate the GPUs needed: peak 2,000 req/s, 600 input and 250 output tokens per request, prefill 20k tok/s and decode 3k tok/s per GPU, '
      + 'target utilisation 70 %. Work it out step by step.',
    'Step by step: how many GPUs for 2,000 requests/s (600 prompt + 250 completion tokens each) if a GPU prefills 20,000 and decodes 3,000 '
      + 'tokens per second and we keep it 70 % busy?'] },
  { id: 'incident-root-cause', intent: 'incident_root_cause', domain: 'reasoning', kind: 'document', document: 'incident', difficulty: 0.85,
    system: ANALYST, cores: [
      'Reconstruct the chain of events in this incident, identify the root cause (not the trigger), and propose three prevention steps with their trade-offs.',
      'From the report below, work out what actually caused the outage, why the safeguards did not catch it, and what to change, weighing the costs.',
      'Analyse this postmortem: separate trigger, root cause and contributing factors, then argue which single fix removes the most risk.'] },
];
