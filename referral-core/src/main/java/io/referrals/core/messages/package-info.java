/**
 * Messages to advocates as immutable values: the {@link io.referrals.core.messages.MessageTopic topics} that events
 * become, the per-program {@link io.referrals.core.messages.MessagePolicy policy} (which topics, and how they are
 * {@link io.referrals.core.messages.Delivery delivered}: at once, at most once per interval, or in a daily digest),
 * the {@link io.referrals.core.messages.MessageTemplates templates} with their placeholders, the stored
 * {@link io.referrals.core.messages.MessageItem items} waiting to be sent, and the {@link
 * io.referrals.core.messages.Message} handed to the host's {@link io.referrals.core.messages.MessageSender}. Nothing
 * here reads a store: {@link io.referrals.core.AdvocateMessages} does. Every type is immutable and thread-safe, except
 * the builders.
 */
package io.referrals.core.messages;
