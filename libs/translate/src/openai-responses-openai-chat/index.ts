/**
 * OpenAI Responses in, OpenAI Chat Completions out (issue 17): a stateless Responses request as
 * a chat request (`responsesToChatRequest`), and the chat answer back as a Response
 * (`chatCompletionToResponse`) or as the Responses event grammar (`ChatToResponsesStream`).
 * Composed with the chat pairs, Responses reaches every upstream chat reaches.
 */
export { responsesToChatRequest, type ResponsesToChat } from './request';
export { chatCompletionToResponse, type ResponsesContext } from './response';
export { ChatToResponsesStream, type ResponsesEvent } from './stream';
