/** The upgrade module has no messages yet: `MsgSoftwareUpgrade` and `MsgCancelUpgrade` come with governance. */
export {};
