import type { Knex } from 'knex'

/** One schema migration, as knex's migrator runs it. */
export interface Migration {
  readonly name: string
  up(knex: Knex): Promise<void>
  down(knex: Knex): Promise<void>
}

// Timestamps are UTC epoch milliseconds in BIGINT columns: the same comparisons and ordering on SQLite
// and MariaDB, with no driver time-zone conversion in between.
/**
 * The app's data model as one migration: the course's users, conversations (with participants) and
 * messages, and what the other tasks add (history, notifications, refresh tokens, SSE tickets and events).
 *
 * @example
 * await INITIAL_MIGRATION.up(knex) // creates every table
 */
export const INITIAL_MIGRATION: Migration = {
  name: '0001_initial',
  async up(knex) {
    await knex.schema.createTable('users', (t) => {
      t.string('user_id', 36).primary()
      t.string('email', 254).notNullable().unique('users_email_unique')
      t.string('password_hash', 255).notNullable()
      t.string('first_name', 150).notNullable()
      t.string('last_name', 150).notNullable()
      t.string('phone_number', 32).nullable()
      t.string('role', 8).notNullable().defaultTo('guest')
      t.bigInteger('created_at').notNullable()
      // Bumped whenever anything on the user's conversation list changes: the key of the list cache.
      t.bigInteger('inbox_version').notNullable().defaultTo(0)
    })
    await knex.schema.createTable('conversations', (t) => {
      t.string('conversation_id', 36).primary()
      t.string('created_by', 36).nullable().references('user_id').inTable('users').onDelete('SET NULL')
      t.bigInteger('created_at').notNullable()
      // Per-conversation message sequence, bumped under the row lock of the insert's transaction, so a
      // message's `seq` order is its commit order: cursors over `seq` never skip a late commit.
      t.bigInteger('last_seq').notNullable().defaultTo(0)
      t.bigInteger('message_count').notNullable().defaultTo(0)
      // Bumped by every change to the conversation's messages: the key of the message page cache.
      t.bigInteger('version').notNullable().defaultTo(0)
    })
    await knex.schema.createTable('conversation_participants', (t) => {
      t.string('conversation_id', 36).notNullable().references('conversation_id').inTable('conversations').onDelete('CASCADE')
      t.string('user_id', 36).notNullable().references('user_id').inTable('users').onDelete('CASCADE')
      t.bigInteger('joined_at').notNullable()
      t.bigInteger('last_read_seq').notNullable().defaultTo(0)
      // Kept by the message events (+1 per message from someone else, reset on read): O(1) unread badges.
      t.bigInteger('unread_count').notNullable().defaultTo(0)
      t.primary(['conversation_id', 'user_id'])
      t.index(['user_id', 'conversation_id'], 'participants_user_conversation_idx')
      // The caller's conversation list walks this index in order and stops at the page: no sort.
      t.index(['user_id', 'joined_at', 'conversation_id'], 'participants_user_joined_idx')
    })
    await knex.schema.createTable('messages', (t) => {
      t.string('message_id', 36).primary()
      t.string('conversation_id', 36).notNullable().references('conversation_id').inTable('conversations').onDelete('CASCADE')
      t.string('sender_id', 36).notNullable().references('user_id').inTable('users').onDelete('CASCADE')
      t.string('parent_message_id', 36).nullable().references('message_id').inTable('messages').onDelete('SET NULL')
      t.bigInteger('seq').notNullable()
      t.text('message_body').notNullable()
      t.bigInteger('sent_at').notNullable()
      t.bigInteger('edited_at').nullable()
      t.unique(['conversation_id', 'seq'], { indexName: 'messages_conversation_seq_unique' })
      t.index(['conversation_id', 'sent_at', 'message_id'], 'messages_conversation_sent_at_idx')
      t.index(['sender_id', 'sent_at'], 'messages_sender_sent_at_idx')
      t.index(['parent_message_id'], 'messages_parent_idx')
    })
    await knex.schema.createTable('message_history', (t) => {
      t.string('history_id', 36).primary()
      t.string('message_id', 36).notNullable().references('message_id').inTable('messages').onDelete('CASCADE')
      t.text('old_body').notNullable()
      t.string('edited_by', 36).nullable().references('user_id').inTable('users').onDelete('SET NULL')
      t.bigInteger('edited_at').notNullable()
      t.index(['message_id', 'edited_at'], 'message_history_message_idx')
    })
    await knex.schema.createTable('notifications', (t) => {
      t.string('notification_id', 36).primary()
      t.string('user_id', 36).notNullable().references('user_id').inTable('users').onDelete('CASCADE')
      t.string('message_id', 36).notNullable().references('message_id').inTable('messages').onDelete('CASCADE')
      t.string('conversation_id', 36).notNullable().references('conversation_id').inTable('conversations').onDelete('CASCADE')
      t.boolean('is_read').notNullable().defaultTo(false)
      t.bigInteger('created_at').notNullable()
      t.index(['user_id', 'is_read', 'created_at'], 'notifications_user_unread_idx')
      t.index(['message_id'], 'notifications_message_idx')
    })
    await knex.schema.createTable('refresh_tokens', (t) => {
      t.string('jti', 36).primary()
      t.string('user_id', 36).notNullable().references('user_id').inTable('users').onDelete('CASCADE')
      t.string('family_id', 36).notNullable()
      t.bigInteger('expires_at').notNullable()
      t.bigInteger('revoked_at').nullable()
      t.index(['family_id'], 'refresh_tokens_family_idx')
      t.index(['user_id'], 'refresh_tokens_user_idx')
    })
    await knex.schema.createTable('event_tickets', (t) => {
      t.string('ticket_hash', 64).primary()
      t.string('user_id', 36).notNullable().references('user_id').inTable('users').onDelete('CASCADE')
      t.bigInteger('expires_at').notNullable()
    })
    await knex.schema.createTable('events', (t) => {
      t.bigIncrements('event_id')
      t.string('type', 32).notNullable()
      t.string('conversation_id', 36).notNullable()
      t.text('recipients').notNullable()
      t.text('payload').notNullable()
      t.bigInteger('created_at').notNullable()
      t.index(['created_at'], 'events_created_at_idx')
    })
  },
  async down(knex) {
    for (const table of ['events', 'event_tickets', 'refresh_tokens', 'notifications', 'message_history', 'messages', 'conversation_participants', 'conversations', 'users']) {
      await knex.schema.dropTableIfExists(table)
    }
  },
}
